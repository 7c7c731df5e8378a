import CicloCore
import CicloStore
import Foundation
import Hummingbird
import Logging

/// `/api/v1/profiles`: find people, the 360° view, the timeline, erasure, and processing lag.
struct AdminProfileRoutes {
    let environment: ServerEnvironment

    struct SearchResult: Encodable {
        var profiles: [ProfileSummary]
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("profiles") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            var identifier: Identifier?
            for (name, kind) in [("email", IdentifierKind.email), ("userId", .userId), ("anonymousId", .anonymousId), ("phone", .phone)] {
                guard let value = q.string(name) else { continue }
                guard let parsed = Identifier.normalised(kind, value) else {
                    throw CicloError.badRequest("invalid_parameter", "\(name) \(value.debugDescription) is not a usable identifier.")
                }
                identifier = parsed
            }
            let profiles = try await environment.store.findProfiles(
                workspaceId: workspace.id, identifier: identifier, text: q.string("q"),
                limit: try q.int("limit", default: 50, in: 1...500))
            return JSONResponse.make(SearchResult(profiles: profiles))
        }
        group.get("profiles/processing") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(try await environment.store.profileLag(workspaceId: workspace.id))
        }
        group.get("profiles/:id") { _, context in
            let workspace = try context.requireWorkspace()
            let id = try Self.profileId(context)
            guard let detail = try await environment.store.profileDetail(workspaceId: workspace.id, id: id) else {
                throw CicloError.notFound("Profile \(id)")
            }
            return JSONResponse.make(ProfileView(detail))
        }
        group.get("profiles/:id/events") { request, context in
            let workspace = try context.requireWorkspace()
            let id = try Self.profileId(context)
            guard let live = try await environment.store.survivingProfileId(workspaceId: workspace.id, id: id) else {
                throw CicloError.notFound("Profile \(id)")
            }
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
                workspaceId: workspace.id, profileId: live, event: q.string("event"), from: try q.date("from"),
                to: try q.date("to"), after: after, limit: limit))
            let next = events.count == limit ? events.last.map {
                EventCursor(timestamp: $0.timestamp.epochMilliseconds, id: $0.id ?? 0).text
            } : nil
            return JSONResponse.make(AdminEventRoutes.EventPage(events: events.map(EventView.init), next: next))
        }
        group.delete("profiles/:id") { request, context in
            let workspace = try context.requireWorkspace()
            let id = try Self.profileId(context)
            let suppressText = QueryParameters(request: request).string("suppress") ?? "false"
            guard ["true", "false", "1", "0"].contains(suppressText) else {
                throw CicloError.badRequest("invalid_parameter", "suppress must be true or false.")
            }
            let report = try await environment.store.eraseProfile(
                workspaceId: workspace.id, id: id, suppress: suppressText == "true" || suppressText == "1")
            context.logger.notice("profile erased", metadata: ["profile": "\(id)", "events": "\(report.events)"])
            return JSONResponse.make(report)
        }
    }

    static func profileId(_ context: CicloRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else {
            throw CicloError.badRequest("invalid_parameter", "A profile id is a positive whole number, not \(text.debugDescription).")
        }
        return id
    }
}
