import CicloCore
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/v1/segments`: create, update, delete, preview, members, export and recompute.
struct AdminSegmentRoutes {
    let environment: ServerEnvironment

    struct SegmentView: Encodable {
        var key: String
        var name: String
        var description: String
        var condition: JSONValue
        var readyMade: Bool
        var memberCount: Int
        var computedAt: String?
        var updatedAt: String

        init(_ r: SegmentRecord) {
            key = r.definition.key
            name = r.definition.name
            description = r.definition.description
            condition = r.definition.condition.json
            readyMade = r.definition.readyMade
            memberCount = r.memberCount
            computedAt = r.computedAt.map { ISO8601.format(Date(epochMilliseconds: $0)) }
            updatedAt = ISO8601.format(Date(epochMilliseconds: r.updatedAt))
        }
    }

    struct MemberView: Encodable {
        var profile: ProfileSummary
        var enteredAt: String
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        group.get("segments") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(["segments": try await store.segments(workspaceId: workspace.id).map(SegmentView.init)])
        }
        group.post("segments") { request, context in
            let workspace = try context.requireWorkspace()
            let definition = try Self.definition(try await RequestJSON.object(request), key: nil)
            try await store.saveSegment(workspaceId: workspace.id, definition, create: true)
            _ = try await store.recomputeAudience(workspaceId: workspace.id, onlySegments: [definition.key])
            return JSONResponse.make(SegmentView(try await Self.find(store, workspace, definition.key)), status: .created)
        }
        group.post("segments/preview") { request, context in
            let workspace = try context.requireWorkspace()
            let condition = try RequestJSON.condition(try await RequestJSON.object(request))
            let (count, sample) = try await store.previewSegment(workspaceId: workspace.id, condition: condition)
            return JSONResponse.make(PreviewView(count: count, sample: sample))
        }
        group.post("segments/recompute") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(try await store.recomputeAudience(workspaceId: workspace.id))
        }
        group.get("segments/:key") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(SegmentView(try await Self.find(store, workspace, try context.parameters.require("key"))))
        }
        group.put("segments/:key") { request, context in
            let workspace = try context.requireWorkspace()
            let key = try context.parameters.require("key")
            let existing = try await Self.find(store, workspace, key)
            var definition = try Self.definition(try await RequestJSON.object(request), key: key)
            definition.readyMade = existing.definition.readyMade
            try await store.saveSegment(workspaceId: workspace.id, definition, create: false)
            _ = try await store.recomputeAudience(workspaceId: workspace.id, onlySegments: [key])
            return JSONResponse.make(SegmentView(try await Self.find(store, workspace, key)))
        }
        group.delete("segments/:key") { _, context in
            let workspace = try context.requireWorkspace()
            try await store.deleteSegment(workspaceId: workspace.id, key: try context.parameters.require("key"))
            return Response(status: .noContent)
        }
        group.get("segments/:key/members") { request, context in
            let workspace = try context.requireWorkspace()
            let segment = try await Self.find(store, workspace, try context.parameters.require("key"))
            let q = QueryParameters(request: request)
            let limit = try q.int("limit", default: 100, in: 1...1000)
            let members = try await store.segmentMembers(segmentId: segment.id, afterProfileId: try q.id("after") ?? 0, limit: limit)
            return JSONResponse.make(MembersPage(
                members: members.map { MemberView(profile: $0.0, enteredAt: ISO8601.format(Date(epochMilliseconds: $0.1))) },
                next: members.count == limit ? members.last.map { String($0.0.id) } : nil))
        }
        group.get("segments/:key/export") { _, context in
            let workspace = try context.requireWorkspace()
            let segment = try await Self.find(store, workspace, try context.parameters.require("key"))
            return SegmentExport.response(store: store, segment: segment)
        }
    }

    struct PreviewView: Encodable {
        var count: Int
        var sample: [ProfileSummary]
    }

    struct MembersPage: Encodable {
        var members: [MemberView]
        var next: String?
    }

    static func find(_ store: Store, _ workspace: Workspace, _ key: String) async throws -> SegmentRecord {
        guard let segment = try await store.segment(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Segment \(key)") }
        return segment
    }

    static func definition(_ body: JSONValue, key: String?) throws -> SegmentDefinition {
        let segmentKey = try key ?? RequestJSON.string(body, "key")
        return SegmentDefinition(key: segmentKey, name: try RequestJSON.string(body, "name"),
                                 description: body["description"]?.stringValue ?? "", condition: try RequestJSON.condition(body))
    }
}
