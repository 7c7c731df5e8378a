import Foundation

extension JourneyRules {
    /// The rules as JSON.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "caps": .array(caps.map { ["channel": .string($0.channel), "limit": .int(Int64($0.limit)), "window": $0.window.json] }),
            "controlShare": .double(controlShare), "defaultTimeZone": .string(defaultTimeZone),
        ]
        if let q = quietHours {
            o["quietHours"] = ["start": .string(String(format: "%02d:%02d", q.start.hour, q.start.minute)),
                               "end": .string(String(format: "%02d:%02d", q.end.hour, q.end.minute)),
                               "mode": .string(q.hold ? "hold" : "skip")]
        }
        return .object(o)
    }

    /// Reads rules, naming the bad part on error.
    public static func parse(_ json: JSONValue) throws -> JourneyRules {
        guard case .object(let o) = json else { throw CicloError.badRequest("invalid_rules", "Journey rules are a JSON object.") }
        var rules = JourneyRules()
        for (i, cap) in (o["caps"]?.arrayValue ?? []).enumerated() {
            guard let channel = cap["channel"]?.stringValue, let limit = cap["limit"]?.intValue, limit >= 0,
                  let window = try? ConditionParser().timeSpan(cap["window"] ?? .null, at: "caps[\(i)].window") else {
                throw CicloError.badRequest("invalid_rules", "caps[\(i)] needs channel, limit ≥ 0 and window such as {\"days\": 7}.")
            }
            rules.caps.append(Cap(channel: channel, limit: Int(limit), window: window))
        }
        if let q = o["quietHours"], !q.isNull {
            func time(_ key: String) throws -> (Int, Int) {
                guard let t = q[key]?.stringValue.flatMap({ JourneyReader.timeOfDay($0, weekdays: nil) }) else {
                    throw CicloError.badRequest("invalid_rules", "quietHours.\(key) must be HH:MM.")
                }
                return (t.hour, t.minute)
            }
            let mode = q["mode"]?.stringValue ?? "hold"
            guard mode == "hold" || mode == "skip" else { throw CicloError.badRequest("invalid_rules", "quietHours.mode is hold or skip.") }
            rules.quietHours = QuietHours(start: try time("start"), end: try time("end"), hold: mode == "hold")
        }
        if let share = o["controlShare"] {
            guard let s = share.doubleValue, share.stringValue == nil, (0...0.5).contains(s) else {
                throw CicloError.badRequest("invalid_rules", "controlShare is a share from 0 to 0.5.")
            }
            rules.controlShare = s
        }
        if let zone = o["defaultTimeZone"]?.stringValue {
            guard TimeZone(identifier: zone) != nil else { throw CicloError.badRequest("invalid_rules", "\(zone) is not a time zone.") }
            rules.defaultTimeZone = zone
        }
        return rules
    }
}
