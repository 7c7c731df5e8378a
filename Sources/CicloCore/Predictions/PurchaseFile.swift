import Foundation

/// Purchases read from a transaction file: the CDNOW layout (id, sample id, YYYYMMDD, quantity, amount, separated by
/// spaces) or a CSV with a header naming the customer, date and amount columns.
public struct PurchaseFile: Sendable {
    public enum Format: Sendable, Equatable {
        case cdnow
        case csv(customer: String, date: String, amount: String)
    }

    /// A line that could not be read, with its number and the reason.
    public struct BadLine: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    public var purchases: [Purchase]
    public var badLines: [BadLine]

    public init(_ text: String, format: Format) throws {
        var purchases: [Purchase] = [], bad: [BadLine] = []
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().map { ($0.offset + 1, $0.element) }
        lines.removeAll { $0.1.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { throw CicloError.badRequest("empty_file", "The file has no purchases.") }
        var columns = (customer: 1, date: 2, amount: 4)
        var separator: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        if case .csv(let customer, let date, let amount) = format {
            separator = { $0 == "," }
            let header = CSVLine.fields(String(lines.removeFirst().1))
            func index(_ name: String) throws -> Int {
                guard let i = header.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                    throw CicloError.badRequest("missing_column", "The CSV has no column \(name); its columns are \(header.joined(separator: ", ")).")
                }
                return i
            }
            columns = (try index(customer), try index(date), try index(amount))
        }
        for (number, raw) in lines {
            let fields = format == .cdnow ? raw.split(whereSeparator: separator).map(String.init) : CSVLine.fields(String(raw))
            guard fields.count > max(columns.customer, columns.date, columns.amount) else {
                bad.append(BadLine(line: number, reason: "too few fields"))
                continue
            }
            let customer = fields[columns.customer].trimmingCharacters(in: .whitespaces)
            guard let day = TransactionSummary.day(fields[columns.date]) else {
                bad.append(BadLine(line: number, reason: "\(fields[columns.date].debugDescription) is not a date"))
                continue
            }
            guard let amount = Double(fields[columns.amount].trimmingCharacters(in: .whitespaces)), amount.isFinite else {
                bad.append(BadLine(line: number, reason: "\(fields[columns.amount].debugDescription) is not an amount"))
                continue
            }
            purchases.append(Purchase(customer: customer, day: day, amount: amount))
        }
        guard !purchases.isEmpty else { throw CicloError.badRequest("empty_file", "No line of the file could be read as a purchase.") }
        self.purchases = purchases
        self.badLines = bad
    }
}

/// Splits one CSV line into fields (quotes and doubled quotes understood).
enum CSVLine {
    static func fields(_ line: String) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current); current = ""
            } else { current.append(c) }
        }
        fields.append(current)
        return fields
    }
}
