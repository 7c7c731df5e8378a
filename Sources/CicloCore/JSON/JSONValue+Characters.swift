/// NUL is legal in JSON (`\u0000`) and in Swift strings but not in PostgreSQL text or JSONB: one such character in a
/// grouped insert would fail every other request sharing the transaction, so inputs are checked for it at the edge.
extension JSONValue {
    /// True when any string or member name, at any depth, holds U+0000.
    public var containsNUL: Bool {
        switch self {
        case .string(let s): return s.containsNUL
        case .array(let items): return items.contains { $0.containsNUL }
        case .object(let members): return members.contains { $0.key.containsNUL || $0.value.containsNUL }
        default: return false
        }
    }
}

extension StringProtocol {
    /// True when the text holds U+0000.
    public var containsNUL: Bool { utf8.contains(0) }
}
