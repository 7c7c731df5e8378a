import CicloCore
import Foundation
import Hummingbird

/// Typed reading of query parameters, with 400s that name the bad parameter.
struct QueryParameters {
    let values: [String: String]

    /// Reads the query of `request` as forms encode it: `+` is a space, `%XX` an escaped byte; the first value wins.
    init(request: Request) {
        var values: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // NUL means nothing in a query and cannot reach PostgreSQL, so `%00` is dropped.
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                let text = spaced.removingPercentEncoding ?? spaced
                return text.containsNUL ? String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\0" })) : text
            }
            let key = decode(parts[0])
            if values[key] == nil { values[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        self.values = values
    }

    /// A parameter as sent (empty included), decoded; the same reading as `string` for forms the dashboard submits
    /// with GET, where a browser writes spaces as `+`.
    func get(_ name: String) -> String? { values[name] }

    /// A parameter converted to `T` (an `Int`, a `Double`), or nil when absent or not one.
    func get<T: LosslessStringConvertible>(_ name: String, as type: T.Type) -> T? { values[name].flatMap(T.init) }

    /// A non-empty string parameter.
    func string(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An integer in `range`, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw CicloError.badRequest("invalid_parameter",
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// A 64-bit id.
    func id(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text) else {
            throw CicloError.badRequest("invalid_parameter", "\(name) must be a whole number.")
        }
        return value
    }

    /// An ISO 8601 date-time (or a plain date).
    func date(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = ISO8601.parse(text) else {
            throw CicloError.badRequest("invalid_parameter", "\(name) must be an ISO 8601 date or date-time.")
        }
        return date
    }
}
