import Foundation

/// A piece of content in the library: what it is, where it goes, which lifecycle stages and personas it serves
/// (empty means any), when it may be shown, and the event that counts as its conversion.
public struct ContentItem: Sendable, Equatable, Codable {
    public static let formats: Set<String> = ["article", "guide", "e-book", "webinar", "video", "case study", "comparison", "testimonial",
                                              "offer", "banner", "email", "onboarding", "how-to", "blog", "infographic", "demo", "pricing",
                                              "replenishment", "loyalty", "referral", "review", "user content", "social"]
    public enum Status: String, Sendable, Codable { case draft, published, archived }

    public var key: String
    public var title: String
    public var url: String?
    public var body: String?
    public var format: String
    public var channels: [String]
    public var topic: String?
    public var stages: [String]
    public var personas: [String]
    public var publishFrom: Int64?
    public var publishUntil: Int64?
    public var status: Status
    public var owner: String?
    public var goalEvent: String?
    public var priority: Int

    public init(key: String, title: String, format: String, url: String? = nil, body: String? = nil, channels: [String] = [], topic: String? = nil,
                stages: [String] = [], personas: [String] = [], publishFrom: Int64? = nil, publishUntil: Int64? = nil, status: Status = .published,
                owner: String? = nil, goalEvent: String? = nil, priority: Int = 0) {
        (self.key, self.title, self.format, self.url, self.body, self.channels, self.topic) = (key, title, format, url, body, channels, topic)
        (self.stages, self.personas, self.publishFrom, self.publishUntil, self.status) = (stages, personas, publishFrom, publishUntil, status)
        (self.owner, self.goalEvent, self.priority) = (owner, goalEvent, priority)
    }

    /// Published and inside its window at `now`.
    public func isLive(at now: Int64) -> Bool {
        status == .published && (publishFrom ?? .min) <= now && now < (publishUntil ?? .max)
    }

    /// Serves `stage` (or any stage).
    public func serves(stage: String?) -> Bool { stages.isEmpty || stage.map(stages.contains) == true }
    /// Speaks to `persona` (or any persona).
    public func speaks(to persona: String?) -> Bool { personas.isEmpty || persona.map(personas.contains) == true }

    /// Reads an item from JSON, naming the bad field.
    public static func parse(_ json: JSONValue) throws -> ContentItem {
        func bad(_ m: String) -> CicloError { CicloError.badRequest("invalid_content", m) }
        guard case .object = json else { throw bad("A content item is a JSON object.") }
        guard let key = json["key"]?.stringValue, !key.isEmpty, key.count <= 100,
              key.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }) else {
            throw bad("key is required: letters, digits, - and _ (up to 100).")
        }
        guard let title = json["title"]?.stringValue, !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw bad("title is required.") }
        guard let format = json["format"]?.stringValue?.lowercased(), formats.contains(format) else {
            throw bad("format is one of " + formats.sorted().joined(separator: ", ") + ".")
        }
        func strings(_ name: String) throws -> [String] {
            guard let v = json[name], !v.isNull else { return [] }
            guard let list = v.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else { throw bad("\(name) is a list of strings.") }
            return list.compactMap(\.stringValue)
        }
        func date(_ name: String) throws -> Int64? {
            guard let v = json[name], !v.isNull else { return nil }
            guard let text = v.stringValue, let d = ISO8601.parse(text) else { throw bad("\(name) is an ISO 8601 date.") }
            return d.epochMilliseconds
        }
        let status = try json["status"]?.stringValue.map { s -> Status in
            guard let st = Status(rawValue: s) else { throw bad("status is draft, published or archived.") }
            return st
        } ?? .draft
        let item = ContentItem(key: key, title: title, format: format, url: json["url"]?.stringValue, body: json["body"]?.stringValue,
                               channels: try strings("channels"), topic: json["topic"]?.stringValue, stages: try strings("stages"),
                               personas: try strings("personas"), publishFrom: try date("publishFrom"), publishUntil: try date("publishUntil"),
                               status: status, owner: json["owner"]?.stringValue, goalEvent: json["goalEvent"]?.stringValue,
                               priority: Int(json["priority"]?.intValue ?? 0))
        if let from = item.publishFrom, let until = item.publishUntil, until <= from { throw bad("publishUntil must be after publishFrom.") }
        guard item.url != nil || item.body != nil else { throw bad("Give the item a url or a body.") }
        return item
    }

    /// The item as JSON (what `parse` reads).
    public var json: JSONValue {
        var o: [String: JSONValue] = ["key": .string(key), "title": .string(title), "format": .string(format), "status": .string(status.rawValue),
                                      "channels": .array(channels.map { .string($0) }), "stages": .array(stages.map { .string($0) }),
                                      "personas": .array(personas.map { .string($0) }), "priority": .int(Int64(priority))]
        if let url { o["url"] = .string(url) }
        if let body { o["body"] = .string(body) }
        if let topic { o["topic"] = .string(topic) }
        if let owner { o["owner"] = .string(owner) }
        if let goalEvent { o["goalEvent"] = .string(goalEvent) }
        if let publishFrom { o["publishFrom"] = .string(ISO8601.format(Date(epochMilliseconds: publishFrom))) }
        if let publishUntil { o["publishUntil"] = .string(ISO8601.format(Date(epochMilliseconds: publishUntil))) }
        return .object(o)
    }
}
