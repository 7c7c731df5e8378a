import CicloCore
import CicloStore
import Foundation

/// Imports profiles or events from a CSV file through the event log (so identity resolution and profiles see them
/// exactly as tracked events); bad rows go to a rejects file and the import goes on.
public struct CSVImporter: Sendable {
    /// Supported file layouts.
    public enum Preset: String, Sendable, CaseIterable {
        /// A header row; columns mapped by `--map` or by name.
        case csv
        /// Order exports: order id, date, customer, amount, coupon.
        case orders
        /// The CDNOW transaction format: whitespace-separated master id, customer id, YYYYMMDD, CDs, dollars.
        case cdnow
    }

    /// What an import did.
    public struct Report: Sendable, Codable, Equatable {
        public var rows = 0
        public var imported = 0
        public var duplicates = 0
        public var rejected = 0
        public var rejectsFile: String?
    }

    let store: Store
    let mapping: CSVImportMapping
    let preset: Preset

    /// Creates an importer.
    public init(store: Store, mapping: CSVImportMapping, preset: Preset = .csv) {
        self.store = store
        self.mapping = mapping
        self.preset = preset
    }

    /// Reads `path`; `progress` gets rows done so far.
    public func run(path: String, rejectsPath: String, progress: @Sendable (Int) -> Void = { _ in }) async throws -> Report {
        var report = Report()
        var rejects: FileHandle?
        var header: [String]?
        defer { try? rejects?.close() }
        if preset == .cdnow { header = ["master_id", "customer", "date", "cds", "amount"] }
        let separator: Character = preset == .cdnow ? " " : ","
        try await CSVReader.stream(path: path, separator: separator) { records in
            var events: [Event] = []
            for var record in records {
                if preset == .cdnow { record.fields = record.fields.filter { !$0.isEmpty } }
                guard let columns = header else {
                    header = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                    continue
                }
                report.rows += 1
                switch mapping.event(header: columns, record: record) {
                case .success(let event): events.append(event)
                case .failure(let rejection):
                    report.rejected += 1
                    if rejects == nil {
                        FileManager.default.createFile(atPath: rejectsPath, contents: Data(CSVWriter.line(["line", "code", "reason"]).utf8))
                        rejects = FileHandle(forWritingAtPath: rejectsPath)
                        rejects?.seekToEndOfFile()
                        report.rejectsFile = rejectsPath
                    }
                    rejects?.write(Data(CSVWriter.line([String(record.line), rejection.code, rejection.message]).utf8))
                }
            }
            let ids = try await store.appendEvents(events)
            let stored = ids.count(where: { $0 != nil })
            report.imported += stored
            report.duplicates += ids.count - stored
            progress(report.rows)
        }
        if header == nil {
            throw CicloError.badRequest("empty_file", "\(path) is empty.")
        }
        return report
    }
}

extension CSVImporter.Preset {
    /// The mapping kind and default columns of a preset.
    public func mapping(kind requested: CSVImportMapping.Kind) -> (CSVImportMapping.Kind, [String: String]) {
        switch self {
        case .csv: (requested, [:])
        case .orders: (.orders, [:])
        case .cdnow: (.orders, ["user_id": "customer"])
        }
    }
}
