import Foundation

extension ComputedAttributes {
    /// The attributes as a JSON document (hand-written: this runs for every profile a batch touches).
    public var json: JSONValue {
        var o: [String: JSONValue] = ["eventCount": .int(Int64(eventCount)), "sessionCount": .int(Int64(sessionCount)),
                                      "orderCount": .int(Int64(orderCount)), "totalRevenue": .double(totalRevenue),
                                      "refundedRevenue": .double(refundedRevenue),
                                      "ordersWithCoupon": .int(Int64(ordersWithCoupon))]
        func put(_ key: String, _ value: Int64?) { if let value { o[key] = .int(value) } }
        func put(_ key: String, _ value: String?) { if let value { o[key] = .string(value) } }
        put("firstSeen", firstSeen); put("lastSeen", lastSeen)
        put("firstOrderAt", firstOrderAt); put("lastOrderAt", lastOrderAt)
        if let lastOrderValue { o["lastOrderValue"] = .double(lastOrderValue) }
        if let lastOrderGapDays { o["lastOrderGapDays"] = .double(lastOrderGapDays) }
        put("timeZone", timeZone); put("locale", locale); put("city", city); put("country", country)
        put("deviceType", deviceType); put("os", os)
        if !lastViewedProducts.isEmpty { o["lastViewedProducts"] = .array(lastViewedProducts.map(\.json)) }
        if !cart.isEmpty { o["cart"] = .array(cart.map(\.json)) }
        if !channels.isEmpty { o["channels"] = .array(channels.map(JSONValue.string)) }
        if !recentOrders.isEmpty {
            o["recentOrders"] = .array(recentOrders.map { ["orderId": .string($0.orderId), "remaining": .double($0.remaining)] })
        }
        if let a = acquisition {
            var acquisition: [String: JSONValue] = [:]
            for (key, value) in [("source", a.source), ("medium", a.medium), ("campaign", a.campaign), ("term", a.term),
                                 ("content", a.content), ("referrer", a.referrer)] {
                if let value { acquisition[key] = .string(value) }
            }
            o["acquisition"] = .object(acquisition)
        }
        return .object(o)
    }

    /// Reads attributes written by `json`; missing parts stay empty.
    public init(json: JSONValue) {
        self.init()
        eventCount = Int(json["eventCount"]?.intValue ?? 0)
        sessionCount = Int(json["sessionCount"]?.intValue ?? 0)
        orderCount = Int(json["orderCount"]?.intValue ?? 0)
        totalRevenue = json["totalRevenue"]?.doubleValue ?? 0
        refundedRevenue = json["refundedRevenue"]?.doubleValue ?? 0
        ordersWithCoupon = Int(json["ordersWithCoupon"]?.intValue ?? 0)
        firstSeen = json["firstSeen"]?.intValue
        lastSeen = json["lastSeen"]?.intValue
        firstOrderAt = json["firstOrderAt"]?.intValue
        lastOrderAt = json["lastOrderAt"]?.intValue
        lastOrderValue = json["lastOrderValue"]?.doubleValue
        lastOrderGapDays = json["lastOrderGapDays"]?.doubleValue
        timeZone = json["timeZone"]?.stringValue
        locale = json["locale"]?.stringValue
        city = json["city"]?.stringValue
        country = json["country"]?.stringValue
        deviceType = json["deviceType"]?.stringValue
        os = json["os"]?.stringValue
        lastViewedProducts = (json["lastViewedProducts"]?.arrayValue ?? []).compactMap(ProductRef.init(json:))
        cart = (json["cart"]?.arrayValue ?? []).compactMap(ProductRef.init(json:))
        channels = (json["channels"]?.arrayValue ?? []).compactMap(\.stringValue)
        recentOrders = (json["recentOrders"]?.arrayValue ?? []).compactMap { entry in
            entry["orderId"]?.stringValue.map { OrderBalance(orderId: $0, remaining: entry["remaining"]?.doubleValue ?? 0) }
        }
        if let a = json["acquisition"], a.objectValue != nil {
            acquisition = Acquisition(source: a["source"]?.stringValue, medium: a["medium"]?.stringValue,
                                      campaign: a["campaign"]?.stringValue, term: a["term"]?.stringValue,
                                      content: a["content"]?.stringValue, referrer: a["referrer"]?.stringValue)
        }
    }
}

extension ComputedAttributes.ProductRef {
    var json: JSONValue {
        var o: [String: JSONValue] = ["productId": .string(productId)]
        if let name { o["name"] = .string(name) }
        if let category { o["category"] = .string(category) }
        if let price { o["price"] = .double(price) }
        if let quantity { o["quantity"] = .int(Int64(quantity)) }
        if let at { o["at"] = .int(at) }
        return .object(o)
    }

    init?(json: JSONValue) {
        guard let id = json["productId"]?.stringValue else { return nil }
        self.init(productId: id, name: json["name"]?.stringValue, category: json["category"]?.stringValue,
                  price: json["price"]?.doubleValue, quantity: json["quantity"]?.intValue.map(Int.init), at: json["at"]?.intValue)
    }
}
