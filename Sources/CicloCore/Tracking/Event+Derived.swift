import Foundation

extension Event {
    /// The library name Ciclo's own events carry, so they are told apart from what people did.
    public static let derivedLibrary = "ciclo"

    /// An event Ciclo records about a person (a segment entry, a stage change, a message sent...).
    public static func derived(_ name: String, workspaceId: Int64, profileId: Int64, properties: [String: JSONValue],
                               at ms: Int64, key: String) -> Event {
        let time = Date(epochMilliseconds: ms)
        return Event(workspaceId: workspaceId, messageId: "ciclo:\(ms):\(key)", type: .track, event: name, profileId: profileId,
                     properties: .object(properties), context: ["library": ["name": .string(derivedLibrary)]],
                     timestamp: time, receivedAt: time)
    }

    /// True for events Ciclo recorded itself rather than received.
    public var isDerived: Bool { context["library"]?["name"]?.stringValue == Self.derivedLibrary && sourceId == nil }
}
