import Foundation

/// How long after each kind of interaction an order is credited to the message: set once per workspace, so the API,
/// the analytics page and `ciclo report attribution` credit the same orders. A kind without a window earns nothing.
public struct AttributionWindows: Sendable, Equatable {
    /// Window per interaction kind (`email_open`, `email_click`, `sms_click`, ...).
    public var byKind: [String: TimeSpan]

    public init(_ byKind: [String: TimeSpan]) { self.byKind = byKind }

    /// The defaults: email opens and clicks, SMS and WhatsApp clicks 5 days; push opens and on-site clicks 1 day.
    public static let standard = AttributionWindows(Attribution.defaultWindows)
    /// Every interaction kind Ciclo records.
    public static let kinds = Attribution.defaultWindows.keys.sorted()
    /// The longest window (orders are read this far back).
    public static let longest = TimeSpan.days(90)

    /// `{"email_open": {"days": 5}, "sms_click": {"hours": 24}, "push_open": null}` over `base`: a span sets the kind's
    /// window, null stops crediting it, a kind not named keeps its window.
    public static func parse(_ json: JSONValue, over base: AttributionWindows, at path: String = "windows") throws -> AttributionWindows {
        guard case .object(let fields) = json else {
            throw CicloError.badRequest("invalid_windows", "\(path) is an object of interaction kind → {\"days\": n} or null.")
        }
        var windows = base
        for (kind, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard kinds.contains(kind) else {
                throw CicloError.badRequest("invalid_windows", "\(path).\(kind.prefix(40).debugDescription) is not an interaction kind; use \(kinds.joined(separator: ", ")).")
            }
            if value.isNull { windows.byKind[kind] = nil; continue }
            let span: TimeSpan
            do { span = try ConditionParser().timeSpan(value, at: "\(path).\(kind)") } catch let e as ConditionError {
                throw CicloError.badRequest("invalid_windows", e.description)
            }
            guard span.seconds <= longest.seconds else { throw CicloError.badRequest("invalid_windows", "\(path).\(kind) is at most 90 days.") }
            windows.byKind[kind] = span
        }
        return windows
    }

    /// Every kind with its window, null where it earns nothing.
    public var json: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: Self.kinds.map { ($0, byKind[$0]?.json ?? .null) }))
    }
}
