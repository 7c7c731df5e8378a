import ArgumentParser
import CicloCore
import Foundation

/// What the small whole-file CSV imports share: read the file with its header, write the rejected rows beside it.
struct CatalogueCSVImport: ParsableArguments {
    @OptionGroup var db: DatabaseOption
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "Workspace to import into.") var workspace = "default"
    @Option(help: "Where rejected rows go (default FILE.rejects.csv).") var rejects: String?

    /// The header (trimmed, lower case) and the data rows.
    func read() throws -> (header: [String], records: [CSVReader.Record]) {
        guard let data = FileManager.default.contents(atPath: file) else { throw CicloError.badRequest("file_not_found", "Cannot read \(file).") }
        var reader = CSVReader()
        let records = reader.feed(data) + reader.finish()
        guard let header = records.first?.fields else { throw CicloError.badRequest("empty_file", "\(file) is empty.") }
        return (header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }, Array(records.dropFirst()))
    }

    /// Writes the rejected rows (line and reason) and returns the sentence that ends the import's report.
    func report(imported: Int, what: String, rejected: [(line: Int, reason: String)]) throws -> String {
        guard !rejected.isEmpty else { return "Imported \(imported) \(what)." }
        let path = rejects ?? file + ".rejects.csv"
        let text = CSVWriter.line(["line", "reason"]) + rejected.map { CSVWriter.line([String($0.line), $0.reason]) }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return "Imported \(imported) \(what); \(rejected.count) rows rejected (see \(path))."
    }
}
