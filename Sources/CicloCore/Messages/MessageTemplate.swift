import Foundation

/// A message template for one channel, in parts (email: subject, preheader, html, text; sms: text; whatsapp:
/// template, variables, text; push: title, body, url; onsite: title, body, url, placement).
public struct MessageTemplate: Sendable, Equatable {
    public var key: String
    public var name: String
    public var channel: String
    /// The subscription topic it belongs to (`newsletter`, `promotions`, ...); `transactional` bypasses marketing consent.
    public var topic: String
    public var parts: [String: String]

    public init(key: String, name: String, channel: String, topic: String = "marketing", parts: [String: String]) {
        self.key = key
        self.name = name
        self.channel = channel
        self.topic = topic
        self.parts = parts
    }

    /// The parts each channel needs, and the optional ones.
    public static let channelParts: [String: (required: [String], optional: [String])] = [
        "email": (["subject", "html"], ["preheader", "text"]),
        "sms": (["text"], []),
        "whatsapp": (["text"], ["template", "variables"]),
        "push": (["title", "body"], ["url", "icon"]),
        "onsite": (["title", "body"], ["url", "placement", "image"]),
    ]

    /// Checks key, channel, parts, syntax and variables; errors name the part and line.
    public func validate() throws {
        guard Slug.isValid(key) else { throw CicloError.badRequest("invalid_key", "Template key: \(Slug.rule).") }
        guard let spec = Self.channelParts[channel] else {
            throw CicloError.badRequest("invalid_channel", "channel must be one of \(Self.channelParts.keys.sorted().joined(separator: ", ")).")
        }
        for part in spec.required where (parts[part] ?? "").isEmpty {
            throw CicloError.badRequest("missing_part", "A \(channel) template needs \(part).")
        }
        for name in parts.keys.sorted() where !(spec.required + spec.optional).contains(name) {
            throw CicloError.badRequest("unknown_part", "A \(channel) template has no part \(name); parts are \((spec.required + spec.optional).joined(separator: ", ")).")
        }
        for (name, source) in parts.sorted(by: { $0.key < $1.key }) {
            do {
                try TemplateChecker.check(try TemplateParser.parse(source))
            } catch let error as TemplateError {
                throw CicloError.badRequest("invalid_template", "\(name), \(error.description)")
            }
        }
    }

    /// Renders every part; HTML parts escape what they print.
    public func render(_ context: JSONValue, timeZone: TimeZone = .gmt, currency: String = "USD") throws -> [String: String] {
        var out: [String: String] = [:]
        for (name, source) in parts {
            do {
                let nodes = try TemplateParser.parse(source)
                out[name] = try TemplateRenderer(escapeHTML: name == "html", timeZone: timeZone, currency: currency).render(nodes, context)
            } catch let error as TemplateError {
                throw CicloError.badRequest("invalid_template", "\(name), \(error.description)")
            }
        }
        return out
    }
}
