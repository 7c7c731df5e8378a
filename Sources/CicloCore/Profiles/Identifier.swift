import Foundation

/// A kind of identifier that can point at a person.
public struct IdentifierKind: RawRepresentable, Hashable, Sendable, Codable, Comparable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The sender's own user id; a profile holds at most one.
    public static let userId = IdentifierKind(rawValue: "user_id")
    /// A device or browser id.
    public static let anonymousId = IdentifierKind(rawValue: "anonymous_id")
    /// An email address, lower case.
    public static let email = IdentifierKind(rawValue: "email")
    /// A phone number, E.164 where possible.
    public static let phone = IdentifierKind(rawValue: "phone")
    /// An id from `context.externalIds`, by its type.
    public static func external(_ type: String) -> IdentifierKind { IdentifierKind(rawValue: "external:" + type.lowercased()) }

    /// How strongly the kind identifies a person: a user id over an email over a device id.
    public var strength: Int {
        switch self {
        case .userId: 4
        case .email: 3
        case .phone: 2
        case .anonymousId: 0
        default: 1
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// One identifier of a person: a kind and a normalised value.
public struct Identifier: Hashable, Sendable, Codable, Comparable {
    /// The kind.
    public var kind: IdentifierKind
    /// The normalised value.
    public var value: String

    /// Creates an identifier from an already-normalised value.
    public init(_ kind: IdentifierKind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    public static func < (a: Self, b: Self) -> Bool { (a.kind, a.value) < (b.kind, b.value) }

    /// Values that SDKs and forms send when they mean "nobody": they never identify anyone.
    static let blocked: Set<String> = ["", "anonymous", "guest", "null", "undefined", "none", "0", "-1", "nan",
                                       "[object object]", "true", "false", "nil", "n/a"]

    /// True when `value` is one of the blocked placeholders (any case).
    public static func isBlocked(_ value: String) -> Bool {
        // Every blocked word is short; most real ids are not, and skip the lower-casing entirely.
        value.utf8.count <= 24 && blocked.contains(trimmed(value).lowercased())
    }

    /// `text` without surrounding white space, cheaply when there is none (the usual case).
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if !space(first) && !space(last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A usable identifier of `kind` from raw text, or nil when it is blocked or malformed.
    public static func normalised(_ kind: IdentifierKind, _ raw: String) -> Identifier? {
        let trimmed = Self.trimmed(raw)
        guard !isBlocked(trimmed), trimmed.utf8.count <= 1024 else { return nil }
        switch kind {
        case .email:
            return EmailAddress.normalised(trimmed).map { Identifier(.email, $0) }
        case .phone:
            return PhoneNumber.e164(trimmed).map { Identifier(.phone, $0) }
        default:
            return Identifier(kind, trimmed)
        }
    }
}

/// Phone numbers to E.164 where the text allows it.
enum PhoneNumber {
    /// `+` and 8–15 digits from common spellings (`+39 333 123-4567`, `0039...`, `(555) 123-4567` stays national).
    static func e164(_ text: String) -> String? {
        var digits = text.filter(\.isNumber).map(String.init).joined()
        let international = text.hasPrefix("+") || text.hasPrefix("00")
        if text.hasPrefix("00") { digits = String(digits.dropFirst(2)) }
        guard digits.count >= 6, digits.count <= 15, !Identifier.isBlocked(digits) else { return nil }
        // Without a country code the number cannot be made E.164; it is kept as its digits, still usable to match.
        return international ? "+" + digits : digits
    }
}
