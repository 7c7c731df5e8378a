import CicloCore
import Foundation

/// Hostile input for the fuzz suites, built from a 64-bit seed that the property checks draw (so a failure reports the
/// seed that reproduces it): fragments that break parsers (huge and non-finite numbers, CR/LF/NUL and separators, deep
/// nesting, odd escapes, surrogates, wrong types) glued at random, or spliced into valid documents so every run
/// reaches the deep paths of a parser as well as its error paths.
public struct HostileText {
    public var rng: SeededRandom

    public init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    /// Pieces any text parser should survive.
    public static let fragments: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "\\udfff", "\\u", "\\x", "\u{0}", "\r\n", "\r", "\n", "\t",
        "\u{2028}", "\u{85}", "\u{FEFF}", "\u{FFFD}", "é", "👩‍👩‍👧", "null", "true", "false", "0", "-0", "1e19", "1e400", "-1e400",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309", "NaN", "Infinity", "0x10",
        "1e-400", "00", "\"nan\"", "\"inf\"", "\"1e19\"", "[[[[[[[[[[", "]]]]]]]]]]", "{{", "}}", "{%", "%}", "{% if", "{% for x in",
        "{% endif %}", "{% endfor %}", "{{ x | truncate: -9223372036854775808 }}", "|", "..", "$", "'", "<", ">", "&", "%00", "%0d%0a",
        "2024-02-30", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "T25:61:61", "+99:99", "Z", ";", "=", "\"\"\"", "a,b\r\n\"c\"\"d\"",
        String(repeating: "a", count: 300), String(repeating: "9", count: 400),
    ]

    public mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }

    public mutating func fragment() -> String { Self.fragments[int(Self.fragments.count)] }

    /// A random scalar, surrogates excluded (they are not scalars).
    public mutating func scalar() -> Unicode.Scalar {
        let v = UInt32(int(0x10_F7FF))
        return Unicode.Scalar(v < 0xD800 ? v : v + 0x800) ?? "?"
    }

    /// Random glue of fragments, scalars and letters.
    public mutating func soup(maxPieces: Int = 40) -> String {
        var out = ""
        for _ in 0..<int(maxPieces + 1) {
            switch int(5) {
            case 0: out.unicodeScalars.append(scalar())
            case 1: out += String(int(1_000_000))
            default: out += fragment()
            }
        }
        return out
    }

    /// One of `seeds` with a few random edits: fragments inserted, spans deleted or duplicated.
    public mutating func mutated(_ seeds: [String]) -> String {
        var text = Array(seeds[int(seeds.count)].unicodeScalars)
        for _ in 0..<(1 + int(6)) {
            let at = int(text.count + 1)
            switch int(3) {
            case 0: text.insert(contentsOf: fragment().unicodeScalars, at: at)
            case 1 where !text.isEmpty: text.removeSubrange(min(at, text.count - 1)..<min(text.count, at + 1 + int(8)))
            default: if at < text.count { text.insert(contentsOf: text[at..<min(text.count, at + 1 + int(12))], at: at) }
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text)
        return String(out)
    }

    /// Either soup or a mutated seed.
    public mutating func text(_ seeds: [String]) -> String { int(3) == 0 ? soup() : mutated(seeds) }

    public static let leaves: [JSONValue] = [
        .null, true, false, 0, -1, .int(.max), .int(.min), 1e19, -1e19, 1e308, 5e-324, 0.5, "", "x", "\u{0}", "a\r\nBcc: x@y.z", "1e400", "nan",
        "inf", "2024-02-30", "9999-12-31T00:00:00Z", .string(String(repeating: "z", count: 2_000)), "<script>", "{{ profile.id }}",
        "../../etc/passwd", "'; DROP TABLE events; --", "victim@example.com>\r\nRSET", "https://127.0.0.1/x",
    ]
    public static let keys = ["order_id", "orderId", "revenue", "total", "price", "quantity", "discount", "products", "email", "name", "traits",
                       "properties", "event", "userId", "type", "key", "steps", "condition", "all", "any", "not", "trait", "op", "value",
                       "days", "hours", "tiers", "rewards", "pointsPerUnit", "start", "\u{0}", "a\"b", ""]

    /// A JSON value with hostile leaves, nested up to `depth`, shaped like `base` when one is given (its keys kept,
    /// some values swapped for hostile ones).
    public mutating func json(depth: Int = 4, like base: JSONValue? = nil) -> JSONValue {
        if let base, int(4) != 0 {
            switch base {
            case .object(var o):
                for key in o.keys where int(3) == 0 { o[key] = json(depth: depth - 1, like: int(2) == 0 ? o[key] : nil) }
                if int(3) == 0 { o[Self.keys[int(Self.keys.count)]] = json(depth: depth - 1) }
                return .object(o)
            case .array(let a):
                return .array(a.map { int(3) == 0 ? json(depth: depth - 1, like: $0) : $0 } + (int(4) == 0 ? [json(depth: depth - 1)] : []))
            default: break
            }
        }
        switch int(depth <= 0 ? 2 : 4) {
        case 0, 1: return Self.leaves[int(Self.leaves.count)]
        case 2: return .array((0..<int(4)).map { _ in json(depth: depth - 1) })
        default:
            var o: [String: JSONValue] = [:]
            for _ in 0..<int(5) { o[Self.keys[int(Self.keys.count)]] = json(depth: depth - 1) }
            return .object(o)
        }
    }
}
