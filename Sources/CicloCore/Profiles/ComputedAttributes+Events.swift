import Foundation

extension ComputedAttributes {
    /// Folds one event into the attributes; returns what it did to the person's orders, if anything.
    @discardableResult
    public mutating func apply(_ event: Event) -> OrderEffect? {
        guard !event.isDerived else { return nil }  // what Ciclo did is not something the person did
        var effect: OrderEffect?
        let t = event.timestamp.epochMilliseconds
        if lastSeen == nil || t > lastSeen! + Self.sessionGap { sessionCount += 1 }
        firstSeen = min(firstSeen ?? t, t)
        lastSeen = max(lastSeen ?? t, t)
        eventCount += 1
        applyContext(event.context, at: t)
        switch event.event {
        case "Order Completed": effect = applyOrder(event, at: t)
        case "Order Refunded": effect = applyRefund(event, cancelled: false)
        case "Order Cancelled": effect = applyRefund(event, cancelled: true)
        case "Product Viewed":
            if let product = Self.product(event.properties, at: t) {
                lastViewedProducts.removeAll { $0.productId == product.productId }
                lastViewedProducts.insert(product, at: 0)
                if lastViewedProducts.count > Self.maxViewed { lastViewedProducts.removeLast(lastViewedProducts.count - Self.maxViewed) }
            }
        case "Product Added":
            if let product = Self.product(event.properties, at: t) {
                if let i = cart.firstIndex(where: { $0.productId == product.productId }) {
                    cart[i].quantity = (cart[i].quantity ?? 1) + (product.quantity ?? 1)
                    cart[i].at = t
                } else if cart.count < Self.maxCart {
                    cart.append(product)
                }
            }
        case "Product Removed":
            if let id = Self.product(event.properties, at: t)?.productId { cart.removeAll { $0.productId == id } }
        case "Cart Emptied": cart.removeAll()
        default: break
        }
        if let channel = Self.channel(of: event), !channels.contains(channel) {
            channels.append(channel)
            channels.sort()
        }
        return effect
    }

    private mutating func applyContext(_ context: JSONValue, at t: Int64) {
        if acquisition == nil {
            let campaign = context["campaign"]
            let referrer = context["referrer"]?["url"]?.stringValue ?? context["page"]?["referrer"]?.stringValue
            if campaign?.objectValue != nil || referrer != nil {
                acquisition = Acquisition(
                    source: campaign?["source"]?.stringValue, medium: campaign?["medium"]?.stringValue,
                    campaign: campaign?["name"]?.stringValue ?? campaign?["campaign"]?.stringValue,
                    term: campaign?["term"]?.stringValue, content: campaign?["content"]?.stringValue, referrer: referrer)
            }
        }
        // Validating a zone name is costly; only do it when the zone changes.
        if let zone = context["timezone"]?.stringValue, zone != timeZone, TimeZone(identifier: zone) != nil { timeZone = zone }
        if let locale = context["locale"]?.stringValue { self.locale = locale }
        if let city = context["location"]?["city"]?.stringValue { self.city = city }
        if let country = context["location"]?["country"]?.stringValue { self.country = country }
        if let type = context["device"]?["type"]?.stringValue { deviceType = type }
        if let os = context["os"]?["name"]?.stringValue { self.os = os }
    }

    private mutating func applyOrder(_ event: Event, at t: Int64) -> OrderEffect? {
        let order = OrderEvent.read(.completed, event.properties)
        let orderId = order.key(of: event)
        guard !recentOrders.contains(where: { $0.orderId == orderId }) else { return nil }  // the same order twice counts once
        let isRepeat = orderCount > 0
        let revenue = order.amount ?? 0
        if let previous = lastOrderAt, t > previous { lastOrderGapDays = Double(t - previous) / 86_400_000 }
        orderCount += 1
        totalRevenue += revenue
        lastOrderValue = revenue
        firstOrderAt = min(firstOrderAt ?? t, t)
        lastOrderAt = max(lastOrderAt ?? t, t)
        if order.coupon != nil || (order.discount ?? 0) > 0 { ordersWithCoupon += 1 }
        recentOrders.append(OrderBalance(orderId: orderId, remaining: revenue))
        if recentOrders.count > Self.maxRecentOrders { recentOrders.removeFirst(recentOrders.count - Self.maxRecentOrders) }
        cart.removeAll()
        return .order(revenue: revenue, repeat: isRepeat)
    }

    /// A refund takes what it names; a cancellation takes back the whole rest of the order.
    private mutating func applyRefund(_ event: Event, cancelled: Bool) -> OrderEffect? {
        var refund = OrderEvent.read(cancelled ? .cancelled : .refunded, event.properties)
        if cancelled { refund.amount = nil }
        let index = refund.orderId.flatMap { id in recentOrders.firstIndex { $0.orderId == id } }
        let remaining = index.map { recentOrders[$0].remaining }
        // A refund takes back the amount it names, else what is left of the order; never more than is left.
        var amount = refund.amount ?? remaining ?? 0
        if let remaining, let index {
            amount = min(amount, remaining)
            recentOrders[index].remaining = remaining - amount
        }
        amount = max(0, amount)
        totalRevenue -= amount
        refundedRevenue += amount
        return amount > 0 ? .refund(amount: amount) : nil
    }

    static func product(_ p: JSONValue, at t: Int64) -> ProductRef? {
        guard let id = p["product_id"]?.scalarText ?? p["sku"]?.scalarText ?? p["id"]?.scalarText else { return nil }
        return ProductRef(productId: id, name: p["name"]?.stringValue, category: p["category"]?.stringValue,
                          price: p["price"]?.doubleValue, quantity: p["quantity"]?.intValue.map(Int.init), at: t)
    }

    /// The channel an event shows engagement on.
    static func channel(of event: Event) -> String? {
        switch event.event {
        case "Email Opened", "Email Link Clicked": return "email"
        case "SMS Link Clicked", "SMS Replied": return "sms"
        case "WhatsApp Message Read", "WhatsApp Link Clicked": return "whatsapp"
        case "Push Notification Opened", "Push Notification Tapped": return "push"
        case "In-App Message Clicked", "On-Site Message Clicked": return "onsite"
        default: break
        }
        if event.type == .screen { return "mobile" }
        if event.type == .page { return "web" }
        return nil
    }
}
