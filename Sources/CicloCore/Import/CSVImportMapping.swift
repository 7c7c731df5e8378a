import Foundation

/// Turns CSV rows into events: profiles as identify calls, events as track calls, with message ids derived from
/// the row so importing the same file twice adds nothing.
public struct CSVImportMapping: Sendable {
    /// What the rows are.
    public enum Kind: Sendable { case profiles, events, orders }

    /// The kind of import.
    public var kind: Kind
    /// Target field → CSV column name (`email=Email`); unmapped columns keep their own names.
    public var columns: [String: String]
    /// The workspace the events go to.
    public var workspaceId: Int64
    /// Fallback time for rows without one.
    public var now: Date

    /// Creates a mapping.
    public init(kind: Kind, columns: [String: String] = [:], workspaceId: Int64, now: Date) {
        self.kind = kind
        self.columns = columns
        self.workspaceId = workspaceId
        self.now = now
    }

    /// Parses `email=Email,first_name=First Name` into target → column.
    public static func parseMap(_ text: String?) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CicloError.badRequest("invalid_map", "--map takes target=Column pairs separated by commas; \(pair) is not one.")
            }
            result[parts[0]] = parts[1]
        }
        return result
    }

    static let identifierFields: Set<String> = ["user_id", "userId", "anonymous_id", "anonymousId", "email", "phone"]

    /// The event for one row, or the reason it cannot be imported.
    public func event(header: [String], record: CSVReader.Record) -> Result<Event, IngestRejection> {
        guard record.fields.count == header.count else {
            return .failure(.init(code: "column_count", message: "expected \(header.count) columns, found \(record.fields.count)"))
        }
        var values: [String: String] = [:]
        for (name, value) in zip(header, record.fields) { values[name] = value.trimmingCharacters(in: .whitespaces) }
        func field(_ target: String, _ aliases: String...) -> String? {
            for name in [columns[target]].compactMap({ $0 }) + [target] + aliases {
                if let v = values[name], !v.isEmpty { return v }
            }
            return nil
        }
        let mapped = Set(columns.values)
        let userId = field("user_id", "userId", "customer", "customer_id")
        let anonymousId = field("anonymous_id", "anonymousId")
        let email = field("email")
        guard userId != nil || anonymousId != nil || email != nil else {
            return .failure(.init(code: "no_identifier", message: "the row has no user_id, anonymous_id or email"))
        }
        var timestamp = now
        if let text = field("timestamp", "date", "created_at") {
            guard let parsed = ISO8601.parse(text) ?? Self.compactDate(text) else {
                return .failure(.init(code: "invalid_timestamp", message: "\(text.debugDescription) is not a date"))
            }
            timestamp = parsed
        }
        // Everything not used as an identifier or a fixed field becomes a trait or property under its target name.
        var rest: [String: JSONValue] = [:]
        let reverse = Dictionary(columns.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        for (column, value) in values where !value.isEmpty {
            let target = reverse[column] ?? column
            if ["timestamp", "date", "event", "user_id", "userId", "anonymous_id", "anonymousId", "customer", "customer_id"].contains(target)
                || (mapped.contains(column) && Self.identifierFields.contains(target) && target != "email" && target != "phone") {
                continue
            }
            rest[target] = Self.typed(value)
        }
        let messageId = "import-" + Self.digest(header: header, record: record)
        var event = Event(workspaceId: workspaceId, messageId: messageId, type: .identify, userId: userId,
                          anonymousId: anonymousId ?? (userId == nil ? email.map { "email:" + $0.lowercased() } : nil),
                          timestamp: timestamp, receivedAt: now)
        switch kind {
        case .profiles:
            if let email { rest["email"] = .string(email) }
            event.traits = .object(rest)
        case .events:
            guard let name = field("event") else {
                return .failure(.init(code: "missing_event", message: "the row has no event name"))
            }
            event.type = .track
            event.event = name
            if let email { event.context = ["traits": ["email": .string(email)]] }
            event.properties = .object(rest.filter { $0.key != "email" })
        case .orders:
            guard let amount = field("amount", "revenue", "total").flatMap(Double.init) else {
                return .failure(.init(code: "invalid_amount", message: "the row has no numeric amount"))
            }
            event.type = .track
            event.event = "Order Completed"
            var properties: [String: JSONValue] = ["revenue": .double(amount), "currency": .string(field("currency") ?? "USD"),
                                                   "order_id": .string(field("order_id") ?? messageId)]
            if let coupon = field("coupon") { properties["coupon"] = .string(coupon) }
            if let email { event.context = ["traits": ["email": .string(email)]] }
            event.properties = .object(properties)
        }
        return .success(event)
    }

    /// `19970101` style dates.
    static func compactDate(_ text: String) -> Date? {
        guard text.count == 8, let n = Int(text) else { return nil }
        return ISO8601.parse(String(format: "%04d-%02d-%02dT00:00:00Z", n / 10_000, n / 100 % 100, n % 100))
    }

    /// Numbers and booleans become typed values; everything else stays text.
    static func typed(_ text: String) -> JSONValue {
        if let i = Int64(text) { return .int(i) }
        if let d = Double(text), d.isFinite, text.contains(".") { return .double(d) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(text)
    }

    /// A 128-bit FNV-1a digest of the header, the row and its line (two equal rows are two orders, not one).
    static func digest(header: [String], record: CSVReader.Record) -> String {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325
        var b: UInt64 = 0x6C62_272E_07BB_0142
        let text = header.joined(separator: "\u{1F}") + "\u{1E}" + record.fields.joined(separator: "\u{1F}") + "\u{1E}\(record.line)"
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
        }
        return String(a, radix: 16) + String(b, radix: 16)
    }
}
