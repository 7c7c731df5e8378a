import ArgumentParser
import CicloCore
import CicloEngine
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// `ciclo bench email`: emails per second through the SMTP client to a local sink, over one connection and several,
/// beside the sink's own ceiling (the same messages pipelined by a raw client that does nothing else).
struct EmailBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "email", abstract: "SMTP delivery throughput.")
    @Option(help: "Messages per measurement.") var messages = 5_000
    @Option(help: "Connections for the parallel measurement.") var connections = 8
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var report = BenchReport(benchmark: "email", engine: "smtp", parameters: ["messages": "\(messages)", "connections": "\(connections)"])
        let sink = try await SMTPSink.start()
        defer { Task { await sink.stop() } }
        let message = MIMEMessage(from: ("Bench", "bench@example.com"), to: "someone@example.com", subject: "Benchmark ✓",
                                  text: String(repeating: "Hello there. ", count: 200), html: "<p>" + String(repeating: "Hello there. ", count: 200) + "</p>",
                                  messageId: "bench@example.com", unsubscribeURL: "https://example.com/u/x")
        for n in [1, connections] {
            let mailer = SMTPMailer(SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, connections: n))
            let started = ContinuousClock.now
            let each = messages / n
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<n { group.addTask { for _ in 0..<each { try await mailer.send(message) } } }
                try await group.waitForAll()
            }
            report.add("SMTP client, \(n) connection\(n == 1 ? "" : "s")", Double(each * n) / (ContinuousClock.now - started).seconds, "emails/s")
            await mailer.shutdown()
        }
        report.add("sink ceiling (raw pipelined client)", try await sink.ceiling(messages: messages, data: message.rendered), "emails/s")
        report.print(json: json)
    }
}

/// A minimal SMTP server that accepts everything, for measuring the client.
final class SMTPSink: @unchecked Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) { self.channel = channel }

    static func start() async throws -> SMTPSink {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(SinkHandler()) } }
            .bind(host: "127.0.0.1", port: 0).get()
        return SMTPSink(channel: channel)
    }

    func stop() async { try? await channel.close() }

    /// Messages per second a raw client achieves: one connection, every transaction pipelined, replies only counted.
    func ceiling(messages: Int, data: String) async throws -> Double {
        let counter = ReplyCounter(target: messages)
        let promise = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        counter.done = promise
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(counter) } }
            .connect(host: "127.0.0.1", port: port).get()
        let transaction = "MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n" + data + ".\r\n"
        let started = ContinuousClock.now
        try await client.writeAndFlush(ByteBuffer(string: "EHLO raw\r\n"))
        for _ in 0..<messages / 50 { try await client.writeAndFlush(ByteBuffer(string: String(repeating: transaction, count: 50))) }
        try await promise.futureResult.get()
        let seconds = (ContinuousClock.now - started).seconds
        try await client.close()
        return Double(messages / 50 * 50) / seconds
    }

    /// Counts `250 queued` replies and completes when all have arrived.
    final class ReplyCounter: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let target: Int
        var seen = 0
        var done: EventLoopPromise<Void>?
        init(target: Int) { self.target = target / 50 * 50 }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let text = buffer.readString(length: buffer.readableBytes) ?? ""
            seen += text.components(separatedBy: "250 queued").count - 1
            if seen >= target { done?.succeed(()); done = nil }
        }
    }

    final class SinkHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var inData = false
        var pending = ""

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(NIOAny(ByteBuffer(string: "220 sink ESMTP\r\n")), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
            var replies = ""
            while let end = pending.range(of: "\r\n") {
                let line = String(pending[..<end.lowerBound])
                pending.removeSubrange(..<end.upperBound)
                if inData {
                    if line == "." { inData = false; replies += "250 queued\r\n" }
                    continue
                }
                let verb = line.prefix(4).uppercased()
                switch verb {
                case "EHLO": replies += "250-sink\r\n250 PIPELINING\r\n"
                case "DATA": inData = true; replies += "354 go\r\n"
                case "QUIT": replies += "221 bye\r\n"
                default: replies += "250 ok\r\n"
                }
            }
            if !replies.isEmpty { context.writeAndFlush(NIOAny(ByteBuffer(string: replies)), promise: nil) }
        }
    }
}
