import Foundation

/// The semantics of one value test, shared by traits, attributes and event properties. Values compare only with
/// operands of their own JSON type: a number never equals a string, and a missing value passes only `not_equals`
/// and `not_exists`.
enum ValueTesting {
    static func evaluate(_ test: ValueTest, value: JSONValue?, isTime: Bool, now: Int64) -> ConditionOutcome {
        switch test.op {
        case .exists: return .fixed(value != nil)
        case .notExists: return .fixed(value == nil)
        case .equals: return .fixed(equals(value, test.value))
        case .notEquals: return .fixed(!equals(value, test.value))
        case .in: return .fixed((test.value?.arrayValue ?? []).contains { equals(value, $0) })
        case .gt, .gte, .lt, .lte:
            guard let x = number(value), let y = number(test.value) else { return .fixed(false) }
            let matches = switch test.op {
            case .gt: x > y
            case .gte: x >= y
            case .lt: x < y
            default: x <= y
            }
            return .fixed(matches)
        case .between:
            guard let x = number(value), let pair = test.value?.arrayValue, pair.count == 2,
                  let low = number(pair[0]), let high = number(pair[1]) else { return .fixed(false) }
            return .fixed(x >= low && x <= high)
        case .contains, .startsWith:
            guard case .string(let s) = value ?? .null, let needle = test.value?.stringValue else { return .fixed(false) }
            let hay = Array(s.unicodeScalars), pin = Array(needle.unicodeScalars)
            if test.op == .startsWith { return .fixed(hay.starts(with: pin)) }
            guard pin.count <= hay.count else { return .fixed(false) }
            return .fixed((0...(hay.count - pin.count)).contains { Array(hay[$0..<$0 + pin.count]) == pin })
        case .before, .after:
            guard let x = time(value, isTime: isTime) else { return .fixed(false) }
            let threshold: Int64
            if let ago = test.ago {
                threshold = now - ago.milliseconds
                let flip = x + ago.milliseconds  // the moment `now - ago` passes x
                if test.op == .before {
                    return x < threshold ? .fixed(true) : ConditionOutcome(matches: false, changesAt: flip + 1)
                }
                return x > threshold ? ConditionOutcome(matches: true, changesAt: flip) : .fixed(false)
            }
            guard let fixed = test.value.flatMap({ $0.stringValue.flatMap(ISO8601.parse)?.epochMilliseconds ?? $0.intValue }) else {
                return .fixed(false)
            }
            threshold = fixed
            return .fixed(test.op == .before ? x < threshold : x > threshold)
        }
    }

    static func equals(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (.string(let x)?, .string(let y)?): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.bool(let x)?, .bool(let y)?): return x == y
        default:
            guard let x = number(a), let y = number(b) else { return false }
            return x == y
        }
    }

    /// A JSON number as a double; strings are not numbers here.
    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .int(let i)?: Double(i)
        case .double(let d)?: d
        default: nil
        }
    }

    /// A time in ms: attribute times are ms numbers; trait and property times are ISO 8601 strings.
    static func time(_ v: JSONValue?, isTime: Bool) -> Int64? {
        if isTime, case .int(let ms)? = v { return ms }
        if case .string(let s)? = v { return ISO8601.parse(s)?.epochMilliseconds }
        return nil
    }
}
