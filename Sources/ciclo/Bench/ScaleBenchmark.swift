import ArgumentParser
import CicloCore
import CicloStore
import Foundation

/// `ciclo bench scale`: every path measured on a demo database at each size (100,000 and 1,000,000 visitors by
/// default), printed as one table with a column per size and the growth between the smallest and the largest.
struct ScaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Every path at 100,000 and 1,000,000 visitors, with the growth between them.",
        discussion: """
            Steps: \(ScaleStep.allCases.map(\.rawValue).joined(separator: ", ")). Building a size loads the demo shop, processes it \
            with the server's hooks, scores RFM and recomputes 50 segments, the stages and personas; --keep leaves the \
            databases for --reuse, so a million-visitor database is built once and measured again.
            """)

    @Option(help: "Engine: omit for temporary SQLite files, or a postgres:// server URL.") var database: String?
    @Option(parsing: .upToNextOption, help: "Demo visitors of each size, smallest first.") var profiles: [Int] = [100_000, 1_000_000]
    @Option(parsing: .upToNextOption, help: "Measure existing databases (workspace bench) instead of building, one per size.")
    var reuse: [String] = []
    @Option(help: "Steps to leave out, comma-separated (see the list above).") var skip: String?
    @Flag(help: "Keep the databases built and print their URLs.") var keep = false
    @Option(help: "Requests per dashboard page (the median is reported).") var repeats = 3
    @Option(help: "Seconds of streaming triggers at 1,000 events/s in the journeys step.") var streamSeconds = 10
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard !profiles.isEmpty, profiles.allSatisfy({ (1_000...20_000_000).contains($0) }) else {
            throw ValidationError("--profiles takes sizes from 1,000 to 20,000,000.")
        }
        guard reuse.isEmpty || reuse.count == profiles.count else {
            throw ValidationError("--reuse takes one database per size in --profiles (\(profiles.count)).")
        }
        _ = try ScaleStep.parse(skip)
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats is 1 to 100.") }
        guard (1...3_600).contains(streamSeconds) else { throw ValidationError("--stream-seconds is 1 to 3,600.") }
    }

    func run() async throws {
        let skipped = try ScaleStep.parse(skip)
        var reports: [(size: Int, report: BenchReport)] = []
        for (index, size) in profiles.enumerated() {
            let engine = BenchDatabases.engine(reuse.isEmpty ? database : reuse[index])
            var report = BenchReport(benchmark: "scale", engine: engine, parameters: ["profiles": "\(size)"])
            report.echoes = !json
            let url: DatabaseURL
            if reuse.isEmpty {
                url = try await BenchDatabases.fresh(base: database, label: "scale_\(size)")
                try await ScaleRun.build(url, profiles: size, report: &report)
            } else {
                url = try DatabaseURL(parsing: reuse[index])
                report.parameters["reused"] = "yes"
            }
            try await ScaleRun.measure(url, size: size, skipped: skipped, repeats: repeats, streamSeconds: streamSeconds, report: &report)
            if keep || !reuse.isEmpty {
                say("Database for \(size) visitors: \(BenchDatabases.text(url))")
            } else {
                await BenchDatabases.discard(url, base: database)
            }
            reports.append((size, report))
        }
        ScaleTable(reports: reports).print(json: json)
    }
}

/// A measured part of `bench scale` that `--skip` can leave out.
enum ScaleStep: String, CaseIterable, Sendable {
    case segments, predictions, loyalty, dashboard, analytics, recommend, live, journeys

    /// The steps named in a comma-separated list; an unknown name is an error.
    static func parse(_ list: String?) throws -> Set<ScaleStep> {
        guard let list, !list.isEmpty else { return [] }
        return Set(try list.split(separator: ",").map { name in
            guard let step = ScaleStep(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("Unknown step \(name) in --skip; the steps are \(allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return step
        })
    }
}
