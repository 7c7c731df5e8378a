import CicloCore
import Foundation
import SQLKit

/// `OrderEvent`'s rule compiled to SQL, built from the same key lists, so every query that counts orders or sums their
/// amounts (order histories, stage metrics, journey arms, attribution) agrees with the Swift side; the agreement test
/// holds the two together.
public struct OrderSQL: Sendable {
    public let dialect: Dialect
    /// The alias of the events table in the query.
    public let alias: String

    public init(_ dialect: Dialect, alias: String = "e") {
        self.dialect = dialect
        self.alias = alias
    }

    var props: String { "\(alias).properties" }

    /// A JSON number member of `json` at `key`, or NULL (text is no amount).
    func number(_ json: String, _ key: String) -> String {
        dialect == .sqlite
            ? "CASE WHEN json_type(\(json), '$.\(key)') IN ('integer', 'real') THEN json_extract(\(json), '$.\(key)') END"
            : "CASE WHEN jsonb_typeof(\(json)->'\(key)') = 'number' THEN (\(json)->>'\(key)')::float8 END"
    }

    /// The order's key: its id by the alias order, else the event's messageId.
    public var key: String {
        let ids = OrderEvent.idKeys.map { key in
            dialect == .sqlite
                ? "NULLIF(CASE WHEN json_type(\(props), '$.\(key)') IN ('text', 'integer') THEN CAST(json_extract(\(props), '$.\(key)') AS TEXT) END, '')"
                : """
                  NULLIF(CASE WHEN jsonb_typeof(\(props)->'\(key)') = 'string'
                  OR (jsonb_typeof(\(props)->'\(key)') = 'number' AND (\(props)->>'\(key)') ~ '^-?[0-9]+$') THEN \(props)->>'\(key)' END, '')
                  """
        }
        return "COALESCE(" + (ids + ["\(alias).message_id"]).joined(separator: ", ") + ")"
    }

    /// The sum of the object lines' price × quantity (quantity 1 when absent), or NULL without object lines.
    var linesTotal: String {
        let price = number("j.value", "price"), quantity = number("j.value", "quantity")
        return dialect == .sqlite
            ? """
              (SELECT SUM(MAX(0, COALESCE(\(price), 0) * COALESCE(\(quantity), 1))) FROM json_each(CASE WHEN json_type(\(props), '$.products') = 'array'
              THEN json_extract(\(props), '$.products') ELSE '[]' END) AS j WHERE j.type = 'object')
              """
            : """
              (SELECT SUM(GREATEST(0, COALESCE(\(price), 0) * COALESCE(\(quantity), 1))) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(\(props)->'products') = 'array'
              THEN \(props)->'products' ELSE '[]'::jsonb END) AS j(value) WHERE jsonb_typeof(j.value) = 'object')
              """
    }

    /// A completed order's amount, never below zero; 0 when it states none.
    public var completedAmount: String { amount(OrderEvent.completedAmountKeys, otherwise: "0") }

    /// A refund's amount, never below zero; NULL (the rest of the order) when it states none.
    public var refundAmount: String { amount(OrderEvent.refundAmountKeys, otherwise: "NULL") }

    func amount(_ keys: [String], otherwise: String) -> String {
        let stated = "COALESCE(" + (keys.map { number(props, $0) } + [linesTotal]).joined(separator: ", ") + ")"
        // GREATEST skips NULLs, so PostgreSQL tests for NULL first: no stated amount must stay NULL, as it does in SQLite.
        let clamp = dialect == .sqlite ? "MAX(0, \(stated))" : "CASE WHEN \(stated) IS NULL THEN NULL ELSE GREATEST(0, \(stated)) END"
        return "COALESCE(\(clamp), \(otherwise))"
    }

    /// How far back a report looks for an earlier event of the same order (a resend a year later is not plausible).
    public static let duplicateLookback: Int64 = 366 * 86_400_000

    /// The workspace's completed orders in [from, to) (all before `to` when `from` is nil), each counted once at its first event (by time, then log
    /// position), with `id`, `profile_id`, `timestamp`, `order_key` and `amount` columns: the one set of orders every
    /// report sums.
    public static func firstOrders(_ dialect: Dialect, workspaceId: Int64, from: Int64?, to: Int64) -> SQLQueryString {
        let o = OrderSQL(dialect, alias: "e")
        let since = from.map { $0 - duplicateLookback } ?? Int64.min
        return """
            SELECT id, profile_id, timestamp, order_key, amount FROM (
              SELECT e.id, e.profile_id, e.timestamp, \(unsafeRaw: o.key) AS order_key, \(unsafeRaw: o.completedAmount) AS amount,
              ROW_NUMBER() OVER (PARTITION BY e.profile_id, \(unsafeRaw: o.key) ORDER BY e.timestamp, e.id) AS nth
              FROM \(unsafeRaw: dialect.events(.byName, as: "e"))
              WHERE e.workspace_id = \(bind: workspaceId) AND e.event = 'Order Completed' AND e.profile_id IS NOT NULL
              AND e.timestamp >= \(bind: since) AND e.timestamp < \(bind: to)) AS ranked
            WHERE nth = 1 AND timestamp >= \(bind: from ?? Int64.min)
            """
    }
}
