import CicloCore
import Foundation
import Testing

@Suite("Reading tracking messages")
struct TrackingMessageTests {
    let received = Date(timeIntervalSince1970: 1_800_000_000)
    var reader: TrackingMessage { TrackingMessage(workspaceId: 1, sourceId: 2, receivedAt: received) }

    @Test("numeric ids become text; empty and null ids count as absent")
    func identifiers() throws {
        let event = try reader.read(["type": "identify", "userId": 42, "anonymousId": "  "], impliedType: nil).get()
        #expect(event.userId == "42")
        #expect(event.anonymousId == nil)
        let rejection = reader.read(["type": "track", "event": "E", "userId": nil, "anonymousId": ""], impliedType: nil)
        #expect(rejection.failureCode == "no_user_anon_id")
    }

    @Test("a message without timestamp is timed at receipt; with one and no sentAt it keeps it")
    func timing() throws {
        let untimed = try reader.read(["userId": "u", "event": "E"], impliedType: .track).get()
        #expect(untimed.timestamp == received)
        #expect(untimed.originalTimestamp == nil)
        let timed = try reader.read(["userId": "u", "event": "E", "timestamp": "2027-01-01T00:00:00Z"], impliedType: .track).get()
        #expect(timed.timestamp == ISO8601.parse("2027-01-01T00:00:00Z"))
    }

    @Test("page names come from name or properties.name")
    func pageNames() throws {
        #expect(try reader.read(["anonymousId": "a", "properties": ["name": "Pricing"]], impliedType: .page).get().name == "Pricing")
        #expect(try reader.read(["anonymousId": "a", "name": "Home"], impliedType: .page).get().name == "Home")
    }

    @Test("non-objects and unknown types are rejected with codes")
    func rejections() {
        #expect(reader.read("hello", impliedType: nil).failureCode == "invalid_message")
        #expect(reader.read(["userId": "u"], impliedType: nil).failureCode == "invalid_type")
        #expect(reader.read(["type": 3, "userId": "u"], impliedType: nil).failureCode == "invalid_type")
        #expect(reader.read(["type": "track", "userId": "u", "event": ""], impliedType: nil).failureCode == "missing_event")
        #expect(reader.read(["type": "track", "userId": "u", "event": "E", "context": "x"], impliedType: nil)
            .failureCode == "invalid_context")
    }
}

extension Result where Failure == IngestRejection {
    var failureCode: String? {
        if case .failure(let rejection) = self { return rejection.code }
        return nil
    }
}
