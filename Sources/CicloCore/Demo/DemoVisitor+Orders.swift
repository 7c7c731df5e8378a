import Foundation

extension DemoVisitor {
    /// A purchase session ending in `Order Completed`, with a possible refund, review and NPS answer later.
    /// Returns false when the order would fall after the end of history.
    mutating func order(at start: Date, device: Int, couponAffinity: Double) -> Bool {
        guard start <= shop.parameters.end else { return false }
        if !signedUpOn.contains(device) { logIn(at: start, device: device) }
        let (u, a) = ids(device)
        var t = start
        let cartId = "cart-\(index)-\(orders + 1)"
        var lines: [(DemoProduct, Int)] = []
        var product = shop.catalog.draw(&rng)
        for step in 0..<rng.int(in: 1...3) {
            if step > 0 { product = rng.chance(0.6) ? shop.catalog.related(to: product, &rng) : shop.catalog.draw(&rng) }
            let quantity = rng.chance(0.85) ? 1 : 2
            lines.append((product, quantity))
            t = t.addingTimeInterval(30 + rng.uniform() * 90)
            timeline.emit(.track, "Product Viewed", at: t, userId: u, anonymousId: a, properties: product.properties(),
                          context: context(device: device, campaign: false, page: "/p/\(product.id)"))
            var added = product.properties(quantity: quantity)
            added["cart_id"] = .string(cartId)
            timeline.emit(.track, "Product Added", at: t.addingTimeInterval(10), userId: u, anonymousId: a,
                          properties: added, context: context(device: device, campaign: false, page: "/p/\(product.id)"))
        }
        let subtotal = lines.map { $0.0.price * Double($0.1) }.reduce(0, +)
        t = t.addingTimeInterval(40)
        timeline.emit(.track, "Checkout Started", at: t, userId: u, anonymousId: a,
                      properties: ["cart_id": .string(cartId), "value": .double(Self.money(subtotal))],
                      context: context(device: device, campaign: false, page: "/checkout"))
        let coupon: String? = rng.chance(couponAffinity) ? DemoPeople.coupons[rng.int(in: 0...(DemoPeople.coupons.count - 1))] : nil
        let discount = coupon == nil ? 0 : Self.money(subtotal * 0.15)
        let shipping = subtotal >= 75 ? 0 : 5.99
        let tax = Self.money((subtotal - discount) * 0.08)
        let revenue = Self.money(subtotal - discount)
        orders += 1
        let orderId = "ord-\(shop.parameters.seed)-\(index)-\(orders)"
        var properties: [String: JSONValue] = [
            "order_id": .string(orderId), "checkout_id": .string(cartId), "cart_id": .string(cartId),
            "total": .double(Self.money(revenue + shipping + tax)), "subtotal": .double(Self.money(subtotal)),
            "revenue": .double(revenue), "shipping": .double(shipping), "tax": .double(tax),
            "discount": .double(discount), "currency": "USD",
            "products": .array(lines.map { .object($0.0.properties(quantity: $0.1)) }),
        ]
        if let coupon { properties["coupon"] = .string(coupon) }
        t = t.addingTimeInterval(90)
        timeline.emit(.track, "Order Completed", at: t, userId: u, anonymousId: a, properties: properties,
                      context: context(device: device, campaign: false, page: "/checkout/complete"))
        afterOrder(orderId: orderId, at: t, lines: lines, total: revenue + shipping + tax)
        return true
    }

    /// Refunds, reviews and NPS answers that follow an order.
    mutating func afterOrder(orderId: String, at time: Date, lines: [(DemoProduct, Int)], total: Double) {
        let b = shop.behaviour
        let (u, a) = (userId, devices[0].anonymousId)
        let quiet = context(device: 0, campaign: false, page: "/account")
        if rng.chance(b.refundRate) {
            timeline.emit(.track, "Order Refunded", at: time.addingTimeInterval((3 + rng.uniform() * 17) * 86_400),
                          userId: u, anonymousId: a,
                          properties: ["order_id": .string(orderId), "total": .double(Self.money(total)), "currency": "USD"],
                          context: quiet)
        } else if rng.chance(b.reviewRate), let (product, _) = lines.first {
            let rating = [5, 5, 5, 4, 4, 4, 3, 2, 1][rng.int(in: 0...8)]
            timeline.emit(.track, "Review Submitted", at: time.addingTimeInterval((7 + rng.uniform() * 7) * 86_400),
                          userId: u, anonymousId: a,
                          properties: ["product_id": .string(product.id), "rating": .int(Int64(rating)),
                                       "order_id": .string(orderId), "text": .string(rating >= 4 ? "Love it" : "Could be better")],
                          context: quiet)
        }
        if orders == 1 && rng.chance(0.2) {
            let score = [10, 10, 10, 9, 9, 8, 8, 7, 6, 5, 3, 0][rng.int(in: 0...11)]
            timeline.emit(.track, "NPS Submitted", at: time.addingTimeInterval(10 * 86_400), userId: u, anonymousId: a,
                          properties: ["score": .int(Int64(score)), "survey_id": "nps-relationship"], context: quiet)
            if score >= 9 && rng.chance(0.3) {
                timeline.emit(.track, "Referral Link Shared", at: time.addingTimeInterval(11 * 86_400), userId: u,
                              anonymousId: a, properties: ["referral_code": .string("REF-\(shop.parameters.seed)-\(index)")],
                              context: quiet)
            }
        }
    }

    /// Monthly newsletters from sign-up: deliveries, opens, clicks, and the occasional unsubscribe.
    mutating func emailEngagement(from start: Date) {
        let openRate = rng.beta(2, 4)
        let clickRate = rng.beta(1, 6)
        let day = 86_400.0
        var send = start.addingTimeInterval(Double(index % 28 + 1) * day)
        var n = 0
        let u = userId
        while send <= shop.parameters.end {
            n += 1
            let campaign = "newsletter-\(Int(send.timeIntervalSince1970 / (30 * day)))"
            let props: [String: JSONValue] = ["email_id": .string("\(campaign)-\(index)"), "campaign_id": .string(campaign),
                                              "campaign_name": "Monthly newsletter", "email_subject": "New this month"]
            let ctx: [String: JSONValue] = ["library": ["name": "ciclo-demo-esp", "version": "1"]]
            timeline.emit(.track, "Email Delivered", at: send, userId: u, anonymousId: nil, properties: props, context: ctx)
            if rng.chance(openRate) {
                timeline.emit(.track, "Email Opened", at: send.addingTimeInterval(rng.exponential(rate: 1 / 7_200)),
                              userId: u, anonymousId: nil, properties: props, context: ctx)
                if rng.chance(clickRate) {
                    var clicked = props
                    clicked["link_url"] = "https://shop.example.com/new"
                    timeline.emit(.track, "Email Link Clicked", at: send.addingTimeInterval(rng.exponential(rate: 1 / 3_600) + 7_200),
                                  userId: u, anonymousId: nil, properties: clicked, context: ctx)
                }
            }
            if rng.chance(0.005) {
                timeline.emit(.track, "Unsubscribed", at: send.addingTimeInterval(3_600), userId: u, anonymousId: nil,
                              properties: props, context: ctx)
                return
            }
            send = send.addingTimeInterval(30 * day)
        }
    }

    static func money(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
