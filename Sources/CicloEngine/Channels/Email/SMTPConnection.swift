import CicloCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A reply from an SMTP server: the code and its text lines.
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    public var lines: [String]
    public var isPositive: Bool { (200..<400).contains(code) }
    public var isTransient: Bool { (400..<500).contains(code) }
    public var text: String { lines.joined(separator: " ") }
}

/// Why an SMTP exchange failed: permanent (5xx: do not retry) or not.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public var reply: SMTPReply?
    public var message: String
    /// Failed while opening the session (greeting, EHLO, STARTTLS, AUTH): a fault of the relay or our settings,
    /// never of the message, so it is retried however the server worded it.
    public var opening = false
    /// Refused here before anything was sent (an address that is not one): the message can never go, the session is fine.
    public var refusedLocally = false
    public var permanent: Bool { refusedLocally || (!opening && (reply?.code ?? 0) >= 500) }
    public var description: String { reply.map { "\($0.code) \($0.text)" } ?? message }

    static func refused(_ message: String) -> SMTPError {
        var error = SMTPError(reply: nil, message: message)
        error.refusedLocally = true
        return error
    }
}

/// One SMTP session over SwiftNIO: greeting, EHLO, optional STARTTLS, AUTH, then any number of messages.
final class SMTPConnection: @unchecked Sendable {
    // Confined to the channel's event loop, except `channel` (thread-safe) and the immutable configuration.
    let channel: any Channel
    let handler: SMTPReplyHandler
    let configuration: SMTPConfiguration
    private(set) var capabilities: Set<String> = []

    private init(channel: any Channel, handler: SMTPReplyHandler, configuration: SMTPConfiguration) {
        self.channel = channel
        self.handler = handler
        self.configuration = configuration
    }

    static func open(_ configuration: SMTPConfiguration, heloName: String) async throws -> SMTPConnection {
        let handler = SMTPReplyHandler()
        var tls: NIOSSLContext?
        if configuration.security != .none {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            if configuration.insecure { tlsConfiguration.certificateVerification = .none }
            if let file = configuration.certificateAuthorities { tlsConfiguration.trustRoots = .file(file) }
            tls = try NIOSSLContext(configuration: tlsConfiguration)
        }
        let implicitTLS = configuration.security == .implicit ? tls : nil
        let host = configuration.host
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: implicitTLS, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        let connection = SMTPConnection(channel: channel, handler: handler, configuration: configuration)
        do {
            let greeting = try await connection.await()
            guard greeting.code == 220 else { throw SMTPError(reply: greeting, message: "unexpected greeting") }
            try await connection.hello(heloName)
            if configuration.security == .required || configuration.security == .optional {
                if connection.capabilities.contains("STARTTLS"), let tls {
                    try await connection.expect("STARTTLS", 220)
                    try await channel.eventLoop.submit {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: host), position: .first)
                    }.get()
                    try await connection.hello(heloName)
                } else if configuration.security == .required {
                    throw SMTPError(reply: nil, message: "the server does not offer STARTTLS, which CICLO_SMTP_URL requires")
                }
            }
            if let user = configuration.username, let password = configuration.password {
                try await connection.authenticate(user: user, password: password)
            }
        } catch var error as SMTPError {
            try? await channel.close()
            error.opening = true
            throw error
        } catch {
            try? await channel.close()
            throw error
        }
        return connection
    }

    func hello(_ name: String) async throws {
        let reply = try await command("EHLO \(name)")
        guard reply.code == 250 else {
            try await expect("HELO \(name)", 250)
            return
        }
        capabilities = Set(reply.lines.dropFirst().map { $0.uppercased() }.flatMap { line -> [String] in
            let words = line.split(separator: " ").map(String.init)
            // "AUTH PLAIN LOGIN" → AUTH, AUTH PLAIN, AUTH LOGIN
            return [words.first ?? ""] + (words.first == "AUTH" ? words.dropFirst().map { "AUTH " + $0 } : [])
        })
    }

    func authenticate(user: String, password: String) async throws {
        if capabilities.contains("AUTH PLAIN") || !capabilities.contains("AUTH LOGIN") {
            let token = Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
            try await expect("AUTH PLAIN \(token)", 235)
        } else {
            try await expect("AUTH LOGIN", 334)
            try await expect(Data(user.utf8).base64EncodedString(), 334)
            try await expect(Data(password.utf8).base64EncodedString(), 235)
        }
    }

    /// Sends one message; the connection can be reused afterwards. Addresses are checked before anything is written,
    /// so an address holding CR/LF or `>` can never add a command to the session.
    func send(from: String, to: [String], data: String) async throws {
        for address in [from] + to where !EmailAddress.isValid(address) {
            throw SMTPError.refused("\(address.debugDescription) is not an email address")
        }
        if capabilities.contains("PIPELINING") {
            // RFC 2920: the envelope goes in one write; the replies are read in order.
            let commands = ["MAIL FROM:<\(from)>"] + to.map { "RCPT TO:<\($0)>" } + ["DATA"]
            let replies = try await pipeline(commands)
            for (sent, reply) in zip(commands, replies) {
                let ok = sent == "DATA" ? reply.code == 354 : (reply.code == 250 || reply.code == 251)
                if !ok {
                    // DATA was accepted although the envelope failed: end it empty so the connection stays usable.
                    if replies.last?.code == 354 { _ = try? await command(".") }
                    throw SMTPError(reply: reply, message: "unexpected reply to \(sent.prefix(12))")
                }
            }
        } else {
            try await expect("MAIL FROM:<\(from)>", 250)
            for recipient in to { try await expect("RCPT TO:<\(recipient)>", 250, 251) }
            try await expect("DATA", 354)
        }
        let reply = try await write(Self.dataBlock(data))
        guard reply.code == 250 else { throw SMTPError(reply: reply, message: "unexpected reply to the message") }
    }

    /// The message as DATA carries it: every line ending made CRLF (a bare CR or LF could end DATA early on some
    /// servers and smuggle a second message), dot-stuffed, and closed by `CRLF.CRLF`.
    static func dataBlock(_ data: String) -> String {
        var out = "", atLineStart = true
        out.reserveCapacity(data.utf8.count + 64)
        var scalars = data.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if scalar == "\r" || scalar == "\n" {
                if scalar == "\r", pending == "\n" { pending = scalars.next() }
                out += "\r\n"
                atLineStart = true
                continue
            }
            if atLineStart, scalar == "." { out += "." }
            out.unicodeScalars.append(scalar)
            atLineStart = false
        }
        return out + (atLineStart && !out.isEmpty ? "" : "\r\n") + ".\r\n"
    }

    func quit() async {
        _ = try? await command("QUIT")
        try? await channel.close()
    }

    var isActive: Bool { channel.isActive }

    @discardableResult
    func expect(_ line: String, _ codes: Int...) async throws -> SMTPReply {
        let reply = try await command(line)
        guard codes.contains(reply.code) else { throw SMTPError(reply: reply, message: "unexpected reply to \(line.prefix(12))") }
        return reply
    }

    /// Sends one command line; a line holding CR, LF or NUL is refused before anything is written.
    func command(_ line: String) async throws -> SMTPReply {
        try Self.checkCommand(line)
        return try await write(line + "\r\n")
    }

    /// Writes `text` as it is and waits for the one reply it asks for.
    private func write(_ text: String) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let handler = self.handler
        channel.eventLoop.execute { handler.enqueue(promise) }
        try await channel.writeAndFlush(ByteBuffer(string: text))
        return try await wait(promise)
    }

    static func checkCommand(_ line: String) throws {
        if line.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw SMTPError.refused("an SMTP command cannot hold a line break or NUL")
        }
    }

    /// Writes several commands at once and returns their replies in order.
    func pipeline(_ lines: [String]) async throws -> [SMTPReply] {
        for line in lines { try Self.checkCommand(line) }
        let promises = lines.map { _ in channel.eventLoop.makePromise(of: SMTPReply.self) }
        let handler = self.handler
        channel.eventLoop.execute { for promise in promises { handler.enqueue(promise) } }
        try await channel.writeAndFlush(ByteBuffer(string: lines.map { $0 + "\r\n" }.joined()))
        var replies: [SMTPReply] = []
        for promise in promises { replies.append(try await wait(promise)) }
        return replies
    }

    func await() async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let handler = self.handler
        channel.eventLoop.execute { handler.enqueue(promise) }
        return try await wait(promise)
    }

    private func wait(_ promise: EventLoopPromise<SMTPReply>) async throws -> SMTPReply {
        let timeout = configuration.timeout
        let deadline = channel.eventLoop.scheduleTask(in: .seconds(timeout.components.seconds)) {
            promise.fail(SMTPError(reply: nil, message: "the SMTP server did not answer within \(timeout)"))
        }
        defer { deadline.cancel() }
        return try await promise.futureResult.get()
    }
}

/// Collects reply lines (`250-...` continues, `250 ...` ends) and completes the oldest waiting command.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private var buffer = ""
    private var lines: [String] = []
    private var waiting: [EventLoopPromise<SMTPReply>] = []
    /// Replies that arrived before anyone asked (the greeting can beat the first `await`).
    private var unclaimed: [SMTPReply] = []

    func enqueue(_ promise: EventLoopPromise<SMTPReply>) {
        if unclaimed.isEmpty { waiting.append(promise) } else { promise.succeed(unclaimed.removeFirst()) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer += bytes.readString(length: bytes.readableBytes) ?? ""
        while let end = buffer.range(of: "\r\n") ?? buffer.range(of: "\n") {
            let line = String(buffer[..<end.lowerBound])
            buffer.removeSubrange(..<end.upperBound)
            guard line.count >= 3, let code = Int(line.prefix(3)) else { continue }
            lines.append(line.count > 4 ? String(line.dropFirst(4)) : "")
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                let reply = SMTPReply(code: code, lines: lines)
                lines = []
                if waiting.isEmpty { unclaimed.append(reply) } else { waiting.removeFirst().succeed(reply) }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = SMTPError(reply: nil, message: "the SMTP server closed the connection")
        for promise in waiting { promise.fail(error) }
        waiting = []
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        for promise in waiting { promise.fail(error) }
        waiting = []
        context.close(promise: nil)
    }
}
