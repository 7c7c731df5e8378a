/// What an order event says, read one way by every part of Ciclo (computed attributes, loyalty, predictions, stage
/// metrics, journeys, analytics) and compiled to the same rule in SQL (`OrderSQL`). It follows Segment's e-commerce
/// spec v2 with the aliases shops really send, chosen once:
/// - the order is `order_id`, else `orderId`, else `checkout_id` (text or a whole number); an order event with none
///   stands alone (its messageId names it);
/// - a completed order's amount is `revenue`, else `total`, else `value`, else the sum of its `products` lines
///   (`price` × `quantity`, quantity 1 when absent); a refund's is `total`, else `revenue`, else `value`, else
///   `amount`, else its lines, and nil (the rest of the order) when it states none;
/// - amounts are JSON numbers (text such as `"19.99"` is not an amount), never below zero;
/// - the first event of an order counts; later ones with the same order id are duplicates.
public struct OrderEvent: Sendable, Equatable {
    /// The kinds of order event.
    public enum Kind: String, Sendable, CaseIterable {
        case completed = "Order Completed", refunded = "Order Refunded", cancelled = "Order Cancelled"
    }

    /// One product line.
    public struct Line: Sendable, Equatable {
        public var productId: String?
        public var sku: String?
        public var category: String?
        public var price: Double?
        public var quantity: Double
        public var giftCard: Bool
        /// price × quantity, or 0 without a price.
        public var amount: Double { max(0, (price ?? 0) * quantity) }
    }

    public var kind: Kind
    /// The order's id as sent, or nil when the event names none.
    public var orderId: String?
    /// The amount as the rules above read it; nil when the event states none (a refund of the rest).
    public var amount: Double?
    public var currency: String?
    public var lines: [Line]
    public var discount: Double?
    public var shipping: Double?
    public var tax: Double?
    public var coupon: String?

    /// Where the order id is looked for, in order.
    public static let idKeys = ["order_id", "orderId", "checkout_id"]
    /// Where a completed order's amount is looked for, in order, before the lines.
    public static let completedAmountKeys = ["revenue", "total", "value"]
    /// Where a refund's amount is looked for, in order, before the lines.
    public static let refundAmountKeys = ["total", "revenue", "value", "amount"]

    /// The order an event is about, or nil when it is no order event.
    public static func read(_ event: Event) -> OrderEvent? {
        guard !event.isDerived, let name = event.event, let kind = Kind(rawValue: name) else { return nil }
        return read(kind, event.properties)
    }

    /// Reads order properties as an event of `kind` would carry them.
    public static func read(_ kind: Kind, _ p: JSONValue) -> OrderEvent {
        let lines = (p["products"]?.arrayValue ?? []).compactMap { line -> Line? in
            guard case .object = line else { return nil }
            return Line(productId: line["product_id"]?.scalarText, sku: line["sku"]?.scalarText, category: line["category"]?.stringValue,
                        price: number(line["price"]), quantity: number(line["quantity"]) ?? 1,
                        giftCard: line["gift_card"]?.boolValue == true || line["category"]?.stringValue?.lowercased() == "gift cards")
        }
        let keys = kind == .completed ? completedAmountKeys : refundAmountKeys
        var amount = keys.lazy.compactMap { number(p[$0]) }.first
        if amount == nil, !lines.isEmpty { amount = lines.reduce(0) { $0 + $1.amount } }
        let id = idKeys.lazy.compactMap { key -> String? in
            switch p[key] {
            case .string(let s)? where !s.isEmpty: s
            case .int(let i)?: String(i)
            default: nil
            }
        }.first
        return OrderEvent(kind: kind, orderId: id, amount: amount.map { max(0, $0) }, currency: p["currency"]?.stringValue, lines: lines,
                          discount: number(p["discount"]), shipping: number(p["shipping"]), tax: number(p["tax"]),
                          coupon: p["coupon"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The key an order is counted once by: its id, else the event's own messageId.
    public func key(of event: Event) -> String { orderId ?? event.messageId }

    /// A JSON number's value (finite); text, booleans and the rest are no amount.
    public static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let i)?: Double(i)
        case .double(let d)? where d.isFinite: d
        default: nil
        }
    }
}
