import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/events` and `/api/v1/ingest/rejected`: what arrived, and what was turned away.
struct AdminEventRoutes {
    let environment: ServerEnvironment

    struct EventPage: Encodable {
        var events: [EventView]
        var next: String?
    }

    struct RejectedView: Encodable {
        var id: Int64
        var receivedAt: String
        var code: String
        var message: String
        var payload: JSONValue
    }

    struct RejectedPage: Encodable {
        var rejected: [RejectedView]
        var next: String?
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("events") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            var after: EventCursor?
            if let text = q.string("after") {
                guard let cursor = EventCursor(text) else {
                    throw CicloError.badRequest("invalid_parameter", "after must be the next value of a previous page.")
                }
                after = cursor
            }
            let limit = try q.int("limit", default: 50, in: 1...1000)
            let events = try await environment.store.events(EventQuery(
                workspaceId: workspace.id, userId: q.string("userId"), anonymousId: q.string("anonymousId"),
                profileId: try q.id("profileId"), event: q.string("event"), from: try q.date("from"),
                to: try q.date("to"), after: after, limit: limit))
            let next = events.count == limit ? events.last.map {
                EventCursor(timestamp: $0.timestamp.epochMilliseconds, id: $0.id ?? 0).text
            } : nil
            return JSONResponse.make(EventPage(events: events.map(EventView.init), next: next))
        }
        group.get("ingest/rejected") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let limit = try q.int("limit", default: 100, in: 1...1000)
            let letters = try await environment.store.rejections(
                workspaceId: workspace.id, before: try q.id("after"), limit: limit)
            let views = letters.map {
                RejectedView(id: $0.id ?? 0, receivedAt: ISO8601.format(Date(epochMilliseconds: $0.receivedAt)),
                             code: $0.code, message: $0.message,
                             payload: (try? JSONValue.parse($0.payload)) ?? .string($0.payload))
            }
            let next = letters.count == limit ? letters.last?.id.map(String.init) : nil
            return JSONResponse.make(RejectedPage(rejected: views, next: next))
        }
    }
}
