import Foundation

extension DemoVisitor {
    /// The SDK context of a device, with the acquisition campaign on the first visit.
    func context(device: Int, campaign: Bool, page: String) -> [String: JSONValue] {
        let d = devices[device]
        var context: [String: JSONValue] = [
            "library": ["name": "ciclo-demo", "version": "1"],
            "timezone": .string(place.timeZone), "locale": .string(place.locale),
            "device": ["type": .string(d.type)], "os": ["name": .string(d.os)],
            "userAgent": .string("Mozilla/5.0 (\(d.os)) \(d.browser)"),
            "location": ["city": .string(place.city), "country": .string(place.country)],
            "ip": .string("203.0.\(index % 250).\(device + 1)"),
            "page": ["url": .string("https://shop.example.com\(page)"), "path": .string(page)],
        ]
        if campaign {
            if let referrer = channel.referrer { context["referrer"] = ["url": .string(referrer)] }
            if let source = channel.source {
                var utm: [String: JSONValue] = ["source": .string(source)]
                if let medium = channel.medium { utm["medium"] = .string(medium) }
                if let name = channel.campaign { utm["name"] = .string(name) }
                context["campaign"] = .object(utm)
            }
        }
        return context
    }

    /// The identifiers a device sends: its anonymous id, and the user id once this device has signed in.
    func ids(_ device: Int) -> (userId: String?, anonymousId: String) {
        (signedUpOn.contains(device) ? userId : nil, devices[device].anonymousId)
    }

    /// An anonymous or signed-in browsing session; returns when it ended.
    mutating func browse(at start: Date, device: Int, campaign: Bool) -> Date {
        var t = start
        let (u, a) = ids(device)
        timeline.emit(.page, name: "Home", at: t, userId: u, anonymousId: a,
                      properties: ["path": "/", "url": "https://shop.example.com/"],
                      context: context(device: device, campaign: campaign, page: "/"))
        if rng.chance(0.3) {
            t = t.addingTimeInterval(20 + rng.uniform() * 60)
            let query = DemoPeople.searches[rng.int(in: 0...(DemoPeople.searches.count - 1))]
            timeline.emit(.track, "Products Searched", at: t, userId: u, anonymousId: a, properties: ["query": .string(query)],
                          context: context(device: device, campaign: false, page: "/search"))
        }
        var product = shop.catalog.draw(&rng)
        for step in 0..<rng.int(in: 1...4) {
            if step > 0 { product = shop.catalog.related(to: product, &rng) }
            t = t.addingTimeInterval(20 + rng.uniform() * 100)
            timeline.emit(.track, "Product Viewed", at: t, userId: u, anonymousId: a, properties: product.properties(),
                          context: context(device: device, campaign: false, page: "/p/\(product.id)"))
        }
        return t
    }

    /// Sign-up: identify with traits, then `Signed Up`.
    mutating func signUp(at time: Date, device: Int) {
        userId = customerId
        signedUpOn.insert(device)
        let (u, a) = ids(device)
        var properties: [String: JSONValue] = ["method": "email"]
        if channel.source == "referral" {
            properties["referral_code"] = .string("REF-\(shop.parameters.seed)-\(max(0, index - 1 - rng.int(in: 0...50)))")
        }
        timeline.emit(.identify, at: time, userId: u, anonymousId: a, traits: [
            "email": .string(email), "first_name": .string(firstName), "last_name": .string(lastName),
            "name": .string("\(firstName) \(lastName)"), "city": .string(place.city), "country": .string(place.country),
            "timezone": .string(place.timeZone), "created_at": .string(ISO8601.format(time)),
        ], context: context(device: device, campaign: false, page: "/signup"))
        timeline.emit(.track, "Signed Up", at: time.addingTimeInterval(1), userId: u, anonymousId: a,
                      properties: properties, context: context(device: device, campaign: false, page: "/signup"))
    }

    /// Logging in on another device links its anonymous history to the customer.
    mutating func logIn(at time: Date, device: Int) {
        signedUpOn.insert(device)
        let (u, a) = ids(device)
        timeline.emit(.identify, at: time, userId: u, anonymousId: a, traits: ["email": .string(email)],
                      context: context(device: device, campaign: false, page: "/login"))
    }

    /// Adds products to the cart and leaves; returns the products left behind.
    mutating func abandonCart(at start: Date, device: Int) -> [DemoProduct] {
        var t = start
        let (u, a) = ids(device)
        let cartId = "cart-\(index)-\(rng.int(in: 0...999_999))"
        var items: [DemoProduct] = []
        for _ in 0..<rng.int(in: 1...2) {
            let product = shop.catalog.draw(&rng)
            items.append(product)
            t = t.addingTimeInterval(30 + rng.uniform() * 120)
            timeline.emit(.track, "Product Viewed", at: t, userId: u, anonymousId: a, properties: product.properties(),
                          context: context(device: device, campaign: false, page: "/p/\(product.id)"))
            var properties = product.properties()
            properties["cart_id"] = .string(cartId)
            timeline.emit(.track, "Product Added", at: t.addingTimeInterval(15), userId: u, anonymousId: a,
                          properties: properties, context: context(device: device, campaign: false, page: "/p/\(product.id)"))
        }
        if rng.chance(0.35) {
            timeline.emit(.track, "Checkout Started", at: t.addingTimeInterval(60), userId: u, anonymousId: a,
                          properties: ["cart_id": .string(cartId), "value": .double(items.map(\.price).reduce(0, +))],
                          context: context(device: device, campaign: false, page: "/checkout"))
        }
        return items
    }
}
