import Foundation

extension LoyaltyProgram {
    /// Reads a program from its JSON document; every problem names its field.
    public static func parse(_ json: JSONValue) throws -> LoyaltyProgram {
        guard case .object = json else { throw invalid("The loyalty program is a JSON object.") }
        var p = LoyaltyProgram()
        func number(_ key: String, min: Double = 0, max: Double) throws -> Double? {
            guard let v = json[key], !v.isNull else { return nil }
            guard let d = v.doubleValue, d >= min, d <= max else {
                throw invalid("\(key) must be a number from \(Self.text(min)) to \(Self.text(max)).")
            }
            return d
        }
        // Day and month counts are bounded so that every date computed from them stays a date.
        func whole(_ key: String, min: Int = 0, max: Int = Self.maxDays) throws -> Int? {
            guard let d = try number(key, min: Double(min), max: Double(max)) else { return nil }
            guard d == d.rounded() else { throw invalid("\(key) must be a whole number.") }
            return Int(saturating: d)
        }
        if let v = try number("pointsPerUnit", max: Self.maxMultiplier) { p.pointsPerUnit = v }
        if let v = json["rounding"]?.stringValue {
            guard let r = Rounding(rawValue: v) else { throw invalid("rounding is floor or half-up.") }
            p.rounding = r
        }
        if let v = try number("minimumOrder", max: SaneNumber.maxAmount) { p.minimumOrder = v }
        p.categoryMultipliers = try multipliers(json["categoryMultipliers"], "categoryMultipliers")
        p.skuMultipliers = try multipliers(json["skuMultipliers"], "skuMultipliers")
        p.includeShipping = json["includeShipping"]?.boolValue ?? false
        p.includeTax = json["includeTax"]?.boolValue ?? false
        if let v = try whole("pendingDays") { p.pendingDays = v }
        if json["expiryDays"]?.isNull == true { p.expiryDays = nil } else if let v = try whole("expiryDays", min: 1) { p.expiryDays = v }
        p.inactivityMonths = try whole("inactivityMonths", min: 1, max: Self.maxMonths)
        if let since = json["inactivitySince"]?.stringValue {
            guard let date = ISO8601.parse(since) else { throw invalid("inactivitySince must be an ISO 8601 date.") }
            p.inactivitySince = date.epochMilliseconds
        }
        if let v = json["negativePolicy"]?.stringValue {
            guard let n = NegativePolicy(rawValue: v) else { throw invalid("negativePolicy is allow-deficit or clamp-at-zero.") }
            p.negativePolicy = n
        }
        if let zone = json["timeZone"]?.stringValue {
            guard TimeZone(identifier: zone) != nil else { throw invalid("\(zone) is not a time zone.") }
            p.timeZone = zone
        }
        if let v = try whole("tierWindowDays", min: 1) { p.tierWindowDays = v }
        if let v = try whole("tierTermMonths", min: 1, max: Self.maxMonths) { p.tierTermMonths = v }
        if let v = try whole("birthdayNoticeDays") { p.birthdayNoticeDays = v }
        if let v = try whole("referralAllowance", max: Self.maxPoints) { p.referralAllowance = v }
        if let v = try whole("referrerPoints", max: Self.maxPoints) { p.referrerPoints = v }
        if let v = try whole("refereePoints", max: Self.maxPoints) { p.refereePoints = v }
        if let actions = json["actions"] {
            guard let list = actions.arrayValue else { throw invalid("actions is a list.") }
            p.actions = try list.enumerated().map { try action($1, at: $0) }
        }
        if let tiers = json["tiers"] {
            guard let list = tiers.arrayValue else { throw invalid("tiers is a list.") }
            p.tiers = try list.enumerated().map { try tier($1, at: $0) }.sorted { $0.threshold < $1.threshold }
            guard Set(p.tiers.map(\.key)).count == p.tiers.count else { throw invalid("tier keys must be unique.") }
        }
        if let rewards = json["rewards"] {
            guard let list = rewards.arrayValue else { throw invalid("rewards is a list.") }
            p.rewards = try list.enumerated().map { try reward($1, at: $0) }
            guard Set(p.rewards.map(\.key)).count == p.rewards.count else { throw invalid("reward keys must be unique.") }
        }
        return p
    }

    static func invalid(_ message: String) -> CicloError { CicloError(.badRequest, code: "invalid_program", message) }

    /// The longest span in days a program may name: a century.
    static let maxDays = 36_500
    /// The longest span in months a program may name: a century.
    static let maxMonths = 1_200
    /// The most points one rule, tier threshold or reward may name.
    static let maxPoints = 1_000_000_000
    /// The largest points-per-unit rate or multiplier.
    static let maxMultiplier = 1_000.0

    private static func text(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(saturating: d)) : String(d) }

    private static func multipliers(_ value: JSONValue?, _ name: String) throws -> [String: Double] {
        guard let value, !value.isNull else { return [:] }
        guard let members = value.objectValue else { throw invalid("\(name) maps a name to a multiplier.") }
        return try members.mapValues { v in
            guard let d = v.doubleValue, d > 0, d <= maxMultiplier else { throw invalid("\(name) values are positive numbers up to \(text(maxMultiplier)).") }
            return d
        }
    }

    private static func positiveWhole(_ value: JSONValue?, _ field: String) throws -> Int {
        guard let d = value?.doubleValue, d >= 0, d == d.rounded(), d <= Double(maxPoints) else {
            throw invalid("\(field) must be a whole number of points from 0 to \(maxPoints).")
        }
        return Int(saturating: d)
    }

    private static func action(_ json: JSONValue, at index: Int) throws -> ActionRule {
        guard let key = json["key"]?.stringValue, !key.isEmpty, let event = json["event"]?.stringValue, !event.isEmpty else {
            throw invalid("actions[\(index)] needs a key and an event.")
        }
        let per = try json["per"]?.stringValue.map { v -> Period in
            guard let period = Period(rawValue: v) else { throw invalid("actions[\(index)].per is day, week, month, year or ever.") }
            return period
        } ?? .ever
        let cap = json["cap"] == nil ? 1 : try positiveWhole(json["cap"], "actions[\(index)].cap")
        return ActionRule(key: key, event: event, points: try positiveWhole(json["points"], "actions[\(index)].points"), cap: max(1, cap), per: per)
    }

    private static func tier(_ json: JSONValue, at index: Int) throws -> Tier {
        guard let key = json["key"]?.stringValue, !key.isEmpty else { throw invalid("tiers[\(index)] needs a key.") }
        let multiplier = json["multiplier"]?.doubleValue ?? 1
        guard multiplier > 0, multiplier <= maxMultiplier else { throw invalid("tiers[\(index)].multiplier must be positive, at most \(text(maxMultiplier)).") }
        return Tier(key: key, name: json["name"]?.stringValue ?? key, threshold: try positiveWhole(json["threshold"], "tiers[\(index)].threshold"),
                    multiplier: multiplier)
    }

    private static func reward(_ json: JSONValue, at index: Int) throws -> Reward {
        guard let key = json["key"]?.stringValue, !key.isEmpty else { throw invalid("rewards[\(index)] needs a key.") }
        guard let kind = Reward.Kind(rawValue: json["kind"]?.stringValue ?? "") else {
            throw invalid("rewards[\(index)].kind is amount-off, percent-off, free-shipping or free-product.")
        }
        let cost = try positiveWhole(json["cost"], "rewards[\(index)].cost")
        guard cost > 0 else { throw invalid("rewards[\(index)].cost must be at least 1 point.") }
        let value = json["value"]?.doubleValue ?? 0
        guard SaneNumber.isWithin(value, SaneNumber.maxAmount), value >= 0 else { throw invalid("rewards[\(index)].value must be from 0 to 1e12.") }
        func limit(_ name: String) throws -> Int? {
            guard let v = json[name], !v.isNull else { return nil }
            guard let n = v.intValue, n >= 0, n <= maxPoints else { throw invalid("rewards[\(index)].\(name) is a whole number from 0 to \(maxPoints).") }
            return Int(n)
        }
        var reward = Reward(key: key, name: json["name"]?.stringValue ?? key, cost: cost, kind: kind, value: value,
                            globalLimit: try limit("globalLimit"), perCustomerLimit: try limit("perCustomerLimit"))
        if let share = json["maxOrderShare"], !share.isNull {
            guard let s = share.doubleValue, s > 0, s <= 1 else { throw invalid("rewards[\(index)].maxOrderShare is a share above 0 and at most 1.") }
            reward.maxOrderShare = s
        }
        return reward
    }

    /// The program as its JSON document (what `parse` reads).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "pointsPerUnit": .double(pointsPerUnit), "rounding": .string(rounding.rawValue), "minimumOrder": .double(minimumOrder),
            "categoryMultipliers": .object(categoryMultipliers.mapValues { .double($0) }), "skuMultipliers": .object(skuMultipliers.mapValues { .double($0) }),
            "includeShipping": .bool(includeShipping), "includeTax": .bool(includeTax), "pendingDays": .int(Int64(pendingDays)),
            "expiryDays": expiryDays.map { .int(Int64($0)) } ?? .null, "negativePolicy": .string(negativePolicy.rawValue),
            "timeZone": .string(timeZone), "tierWindowDays": .int(Int64(tierWindowDays)), "tierTermMonths": .int(Int64(tierTermMonths)),
            "birthdayNoticeDays": .int(Int64(birthdayNoticeDays)), "referralAllowance": .int(Int64(referralAllowance)),
            "referrerPoints": .int(Int64(referrerPoints)), "refereePoints": .int(Int64(refereePoints)),
        ]
        o["inactivityMonths"] = inactivityMonths.map { .int(Int64($0)) } ?? .null
        o["inactivitySince"] = inactivitySince.map { .string(ISO8601.format(Date(epochMilliseconds: $0))) } ?? .null
        o["actions"] = .array(actions.map { .object(["key": .string($0.key), "event": .string($0.event), "points": .int(Int64($0.points)),
                                                     "cap": .int(Int64($0.cap)), "per": .string($0.per.rawValue)]) })
        o["tiers"] = .array(tiers.map { .object(["key": .string($0.key), "name": .string($0.name), "threshold": .int(Int64($0.threshold)),
                                                 "multiplier": .double($0.multiplier)]) })
        o["rewards"] = .array(rewards.map { r in
            var m: [String: JSONValue] = ["key": .string(r.key), "name": .string(r.name), "cost": .int(Int64(r.cost)), "kind": .string(r.kind.rawValue),
                                          "value": .double(r.value)]
            if let g = r.globalLimit { m["globalLimit"] = .int(Int64(g)) }
            if let c = r.perCustomerLimit { m["perCustomerLimit"] = .int(Int64(c)) }
            if let s = r.maxOrderShare { m["maxOrderShare"] = .double(s) }
            return .object(m)
        })
        return .object(o)
    }
}
