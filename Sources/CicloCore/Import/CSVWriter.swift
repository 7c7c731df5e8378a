import Foundation

/// The one way Ciclo writes CSV (every export and every rejects file): fields quoted when they hold a separator,
/// quote or line break, and a field that starts with `=`, `+`, `-`, `@`, tab or CR defused with a leading `'` so a
/// spreadsheet shows it instead of running it as a formula (numbers such as `-12.5` are left alone).
public enum CSVWriter {
    /// One field, ready to put between commas.
    public static func field(_ value: String?) -> String {
        guard var s = value else { return "" }
        if let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(s) == nil { s = "'" + s }
        let needsQuotes = s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// One line of fields, ending in a newline.
    public static func line(_ fields: [String?]) -> String { row(fields) + "\n" }

    /// One line of fields without its newline (for output that adds its own).
    public static func row(_ fields: [String?]) -> String { fields.map(field).joined(separator: ",") }
}
