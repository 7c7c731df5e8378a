import CicloCore
import Foundation

/// A `ciclo serve` child process for benchmarks that measure the HTTP path from outside the server.
final class ServerProcess {
    let process = Process()
    private let output = Pipe()
    private(set) var port = 0

    /// Starts `ciclo serve` on `database` on a free port and waits until it listens.
    init(database: String, extraArguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--database", database,
                             "--log-level", "error"] + extraArguments
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var buffer = Data()
        let deadline = Date().addingTimeInterval(120)
        while port == 0 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                if !process.isRunning || Date() > deadline {
                    throw CicloError(.unavailable, code: "bench_server", "The benchmark server did not start.")
                }
                continue
            }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: #"listening on http://[^:]+:(\d+)"#, options: .regularExpression) {
                let match = text[range]
                port = Int(match.split(separator: ":").last ?? "") ?? 0
            }
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Stops the server with SIGTERM and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
