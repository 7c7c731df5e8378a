import CicloCore
import Foundation
import Logging

/// Sends email over a small pool of reused SMTP connections.
public actor SMTPMailer {
    let configuration: SMTPConfiguration
    let heloName: String
    private var idle: [SMTPConnection] = []
    private var open = 0

    public init(_ configuration: SMTPConfiguration, heloName: String = "ciclo.localhost") {
        self.configuration = configuration
        self.heloName = heloName
    }

    /// Sends a message; a permanent SMTP failure (5xx) throws an `SMTPError` with `permanent` set.
    public func send(_ message: MIMEMessage) async throws {
        for address in [message.from.address, message.to] where !EmailAddress.isValid(address) {
            throw SMTPError.refused("\(address.debugDescription) is not an email address")
        }
        let connection = try await checkOut()
        do {
            try await connection.send(from: message.from.address, to: [message.to], data: message.rendered)
            idle.append(connection)
        } catch let error as SMTPError where error.reply != nil && connection.isActive {
            // The server refused this message; the session itself is fine.
            _ = try? await connection.command("RSET")
            idle.append(connection)
            throw error
        } catch {
            open -= 1
            await connection.quit()
            throw error
        }
    }

    private func checkOut() async throws -> SMTPConnection {
        while let connection = idle.popLast() {
            if connection.isActive { return connection }
            open -= 1
        }
        open += 1
        do {
            return try await SMTPConnection.open(configuration, heloName: heloName)
        } catch {
            open -= 1
            throw error
        }
    }

    /// Closes every connection.
    public func shutdown() async {
        for connection in idle { await connection.quit() }
        idle = []
        open = 0
    }
}
