import Foundation

/// Collects one demo visitor's events with the identifiers, context and message ids the SDKs would send.
struct DemoTimeline {
    let workspaceId: Int64
    let prefix: String
    let end: Date
    private(set) var events: [Event] = []
    private var counter = 0

    init(workspaceId: Int64, seed: UInt64, index: Int, end: Date) {
        self.workspaceId = workspaceId
        self.prefix = "demo-\(seed)-\(index)-"
        self.end = end
    }

    /// Records an event unless it falls after the end of history; returns whether it was kept.
    @discardableResult
    mutating func emit(_ type: EventType, _ event: String? = nil, name: String? = nil, at time: Date, userId: String?,
                       anonymousId: String?, properties: [String: JSONValue] = [:], traits: [String: JSONValue] = [:],
                       context: [String: JSONValue]) -> Bool {
        guard time <= end else { return false }
        counter += 1
        events.append(Event(
            workspaceId: workspaceId, messageId: prefix + String(counter), type: type, event: event, name: name,
            userId: userId, anonymousId: anonymousId, properties: .object(properties), traits: .object(traits),
            context: .object(context), originalTimestamp: time, timestamp: time, receivedAt: time))
        return true
    }
}
