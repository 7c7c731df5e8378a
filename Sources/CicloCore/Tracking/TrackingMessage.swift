import Foundation

/// Turns one Segment tracking-protocol message into an `Event`, or says why it cannot be stored.
public struct TrackingMessage: Sendable {
    /// What a batch contributes to every message in it.
    public struct BatchDefaults: Sendable {
        /// Batch-level context; each message's own values win.
        public var context: JSONValue?
        /// Batch-level `sentAt`, used when a message has none.
        public var sentAt: Date?

        /// Creates the defaults of a batch.
        public init(context: JSONValue? = nil, sentAt: Date? = nil) {
            self.context = context
            self.sentAt = sentAt
        }
    }

    /// The workspace the write key belongs to.
    public var workspaceId: Int64
    /// The source the write key names.
    public var sourceId: Int64
    /// When the request arrived.
    public var receivedAt: Date

    /// Creates a reader for messages that arrived through one source at one moment.
    public init(workspaceId: Int64, sourceId: Int64, receivedAt: Date) {
        self.workspaceId = workspaceId
        self.sourceId = sourceId
        self.receivedAt = receivedAt
    }

    /// Reads `message`; `impliedType` is the route's type for single-call routes (nil for batch items).
    public func read(_ message: JSONValue, impliedType: EventType?, defaults: BatchDefaults = .init())
        -> Result<Event, IngestRejection>
    {
        guard case .object(let fields) = message else {
            return .failure(.init(code: "invalid_message", message: "Each message must be a JSON object."))
        }
        if message.containsNUL {
            return .failure(.init(code: "invalid_character", message: "A string in the message holds a NUL character (\\u0000), which cannot be stored."))
        }
        let type: EventType
        if let raw = fields["type"], !raw.isNull {
            guard let text = raw.stringValue, let parsed = EventType(rawValue: text.lowercased()) else {
                return .failure(.init(code: "invalid_type",
                    message: "type must be one of identify, track, page, screen, group, alias."))
            }
            if let impliedType, impliedType != parsed {
                return .failure(.init(code: "invalid_type",
                    message: "This route takes \(impliedType.rawValue) calls, not \(parsed.rawValue)."))
            }
            type = parsed
        } else if let impliedType {
            type = impliedType
        } else {
            return .failure(.init(code: "invalid_type", message: "Every batch message needs a type."))
        }

        let userId = Self.identifier(fields["userId"])
        let anonymousId = Self.identifier(fields["anonymousId"])
        let previousId = Self.identifier(fields["previousId"])
        if type == .alias {
            guard userId != nil, previousId != nil else {
                return .failure(.init(code: "invalid_alias", message: "An alias call needs both userId and previousId."))
            }
        } else if userId == nil && anonymousId == nil {
            return .failure(.noUserOrAnonymousId)
        }

        var eventName: String?
        if type == .track {
            guard let name = fields["event"]?.scalarText, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                return .failure(.init(code: "missing_event", message: "A track call needs an event name."))
            }
            guard name.count <= 200 else {
                return .failure(.init(code: "invalid_event", message: "Event names are limited to 200 characters."))
            }
            eventName = name
        }
        let groupId = Self.identifier(fields["groupId"])
        if type == .group && groupId == nil {
            return .failure(.init(code: "missing_group_id", message: "A group call needs a groupId."))
        }

        let messageId: String
        if let given = fields["messageId"], !given.isNull {
            guard let text = given.scalarText, !text.isEmpty else {
                return .failure(.init(code: "invalid_message_id", message: "messageId must be a non-empty string."))
            }
            guard text.count <= TrackingLimits.messageIdLength else {
                return .failure(.init(code: "invalid_message_id",
                    message: "messageId is limited to \(TrackingLimits.messageIdLength) characters."))
            }
            messageId = text
        } else {
            messageId = "ciclo-" + UUID().uuidString.lowercased()
        }

        var originalTimestamp: Date?
        if let raw = fields["timestamp"], !raw.isNull {
            guard let text = raw.stringValue, let date = ISO8601.parse(text) else {
                return .failure(.init(code: "invalid_timestamp", message: "timestamp must be an ISO 8601 date-time."))
            }
            originalTimestamp = date
        }
        var sentAt = defaults.sentAt
        if let raw = fields["sentAt"], !raw.isNull {
            guard let text = raw.stringValue, let date = ISO8601.parse(text) else {
                return .failure(.init(code: "invalid_timestamp", message: "sentAt must be an ISO 8601 date-time."))
            }
            sentAt = date
        }
        // Correct for a device clock that is off: the delay the sender saw between event and send is kept,
        // anchored at our own receive time.
        var timestamp = receivedAt
        if let originalTimestamp {
            if let sentAt {
                timestamp = receivedAt.addingTimeInterval(-(sentAt.timeIntervalSince(originalTimestamp)))
            } else {
                timestamp = originalTimestamp
            }
        }

        for (name, date) in [("timestamp", originalTimestamp), ("sentAt", sentAt), ("timestamp", timestamp)] {
            if let date, !TrackingRanges.accepts(date) {
                return .failure(.init(code: "invalid_timestamp",
                    message: "\(name) must fall between 1970-01-01 and 2100-01-01 (after correcting for sentAt)."))
            }
        }

        for key in ["properties", "traits", "context"] {
            if let value = fields[key], !value.isNull, value.objectValue == nil {
                return .failure(.init(code: "invalid_\(key)", message: "\(key) must be a JSON object."))
            }
        }
        var context = fields["context"] ?? .object([:])
        if context.isNull { context = .object([:]) }
        if let batchContext = defaults.context, case .object = batchContext {
            context = batchContext.merging(context)
        }
        var traits = fields["traits"] ?? .object([:])
        if traits.isNull { traits = .object([:]) }
        var properties = fields["properties"] ?? .object([:])
        if properties.isNull { properties = .object([:]) }
        if let rejection = TrackingRanges.rejection(properties: properties) { return .failure(rejection) }
        var name: String?
        if type == .page || type == .screen {
            name = fields["name"]?.scalarText ?? properties["name"]?.scalarText
        }

        return .success(Event(
            workspaceId: workspaceId, sourceId: sourceId, messageId: messageId, type: type, event: eventName,
            name: name, userId: userId, anonymousId: anonymousId, groupId: groupId, previousId: previousId,
            properties: properties, traits: traits, context: context, originalTimestamp: originalTimestamp,
            timestamp: timestamp, sentAt: sentAt, receivedAt: receivedAt))
    }

    /// An id field as text: JSON null, empty strings and non-scalars count as absent.
    static func identifier(_ value: JSONValue?) -> String? {
        guard let text = value?.scalarText else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension JSONValue {
    /// Deep-merges `overlay` onto this object; the overlay's values win.
    public func merging(_ overlay: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let top) = overlay else { return overlay }
        for (key, value) in top {
            if let existing = base[key], case .object = existing, case .object = value {
                base[key] = existing.merging(value)
            } else {
                base[key] = value
            }
        }
        return .object(base)
    }
}
