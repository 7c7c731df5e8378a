import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/journeys`: definitions as versioned documents, status changes, enrolment by API, numbers, dry runs,
/// templates and the workspace's rules for caps, quiet hours and the control group.
struct AdminJourneyRoutes {
    let environment: ServerEnvironment

    func register(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        group.get("journeys") { _, context in
            let workspace = try context.requireWorkspace()
            var list: [JSONValue] = []
            for journey in try await store.journeys(workspaceId: workspace.id) {
                let stats = try await store.journeyStats(journeyId: journey.id)
                list.append(["key": .string(journey.definition.key), "name": .string(journey.definition.name),
                             "status": .string(journey.status.rawValue), "version": .int(Int64(journey.version)),
                             "entered": .int(Int64(stats.entered)), "active": .int(Int64(stats.active)),
                             "converted": .int(Int64(stats.converted)), "revenue": .double(stats.revenue)])
            }
            return JSONResponse.make(["journeys": JSONValue.array(list)])
        }
        group.post("journeys") { request, context in
            let workspace = try context.requireWorkspace()
            let definition = try Self.parse(try await RequestJSON.object(request))
            guard try await store.journey(workspaceId: workspace.id, key: definition.key) == nil else {
                throw CicloError.conflict("journey_exists", "A journey with key \(definition.key) exists; PUT a new version instead.")
            }
            return JSONResponse.make(Self.view(try await environment.journeyLibrary.save(workspaceId: workspace.id, definition)), status: .created)
        }
        group.post("journeys/validate") { request, context in
            _ = try context.requireWorkspace()
            do {
                _ = try JourneyDefinition.parse(try await RequestJSON.object(request))
                return JSONResponse.make(["valid": true, "problems": []] as JSONValue)
            } catch let invalid as JourneyInvalid {
                return JSONResponse.make(["valid": false, "problems": .array(invalid.problems.map {
                    ["step": $0.step.map(JSONValue.string) ?? .null, "message": .string($0.message)]
                })] as JSONValue)
            }
        }
        group.post("journeys/simulate") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let definition = try Self.parse(body["definition"] ?? .null)
            let days = Int(body["days"]?.intValue ?? 30)
            return JSONResponse.make(try await JourneyDryRun(store: store, clock: environment.clock).simulate(definition, workspaceId: workspace.id, days: days))
        }
        group.get("journeys/templates") { _, _ in
            JSONResponse.make(["templates": JSONValue.array(JourneyTemplates.all.values.sorted { ($0["key"]?.stringValue ?? "") < ($1["key"]?.stringValue ?? "") })])
        }
        group.post("journeys/templates/:key/install") { _, context in
            let workspace = try context.requireWorkspace()
            let key = try context.parameters.require("key")
            guard let document = JourneyTemplates.all[key] else { throw CicloError.notFound("Journey template \(key)") }
            return JSONResponse.make(Self.view(try await environment.journeyLibrary.save(workspaceId: workspace.id, try Self.parse(document))), status: .created)
        }
        group.get("journeys/settings") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(try await store.journeyRules(workspaceId: workspace.id).json)
        }
        group.put("journeys/settings") { request, context in
            let workspace = try context.requireWorkspace()
            let rules = try JourneyRules.parse(try await RequestJSON.object(request))
            try await store.setJourneyRules(workspaceId: workspace.id, rules)
            return JSONResponse.make(rules.json)
        }
        group.get("journeys/:key") { _, context in
            let workspace = try context.requireWorkspace()
            let journey = try await Self.find(store, workspace, try context.parameters.require("key"))
            var view = Self.view(journey)
            if case .object(var o) = view {
                o["stats"] = try JSONValue.parse(String(decoding: try JSONResponse.encoder.encode(try await store.journeyStats(journeyId: journey.id)), as: UTF8.self))
                view = .object(o)
            }
            return JSONResponse.make(view)
        }
        group.put("journeys/:key") { request, context in
            let workspace = try context.requireWorkspace()
            let key = try context.parameters.require("key")
            _ = try await Self.find(store, workspace, key)
            let definition = try Self.parse(try await RequestJSON.object(request))
            guard definition.key == key else { throw CicloError.badRequest("key_mismatch", "The document's key must be \(key).") }
            return JSONResponse.make(Self.view(try await environment.journeyLibrary.save(workspaceId: workspace.id, definition)))
        }
        group.post("journeys/:key/activate") { request, context in
            let workspace = try context.requireWorkspace()
            let key = try context.parameters.require("key")
            try await environment.journeyLibrary.activate(workspaceId: workspace.id, key: key,
                                                          force: QueryParameters(request: request).string("force") == "true")
            return JSONResponse.make(Self.view(try await Self.find(store, workspace, key)))
        }
        for (action, status) in [("pause", JourneyRecord.Status.paused), ("archive", .archived)] {
            group.post(RouterPath("journeys/:key/\(action)")) { _, context in
                let workspace = try context.requireWorkspace()
                let key = try context.parameters.require("key")
                try await store.setJourneyStatus(workspaceId: workspace.id, key: key, status)
                return JSONResponse.make(Self.view(try await Self.find(store, workspace, key)))
            }
        }
        group.post("journeys/:key/enrol") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            var ids = (body["profileIds"]?.arrayValue ?? []).compactMap(\.intValue)
            for userId in (body["userIds"]?.arrayValue ?? []).compactMap(\.scalarText) {
                ids += try await store.findProfiles(workspaceId: workspace.id, identifier: Identifier(.userId, userId), limit: 1).map(\.id)
            }
            guard !ids.isEmpty, ids.count <= 10_000 else {
                throw CicloError.badRequest("invalid_enrolment", "Send 1 to 10,000 profileIds or userIds that exist.")
            }
            let enrolled = try await environment.journeys.enrol(workspaceId: workspace.id, journeyKey: try context.parameters.require("key"),
                                                                profileIds: ids, properties: body["properties"] ?? [:])
            return JSONResponse.make(["enrolled": JSONValue.array(enrolled.map { .int($0) })])
        }
        group.post("journeys/:key/simulate") { request, context in
            let workspace = try context.requireWorkspace()
            let journey = try await Self.find(store, workspace, try context.parameters.require("key"))
            let days = Int(QueryParameters(request: request).string("days").flatMap(Int.init) ?? 30)
            return JSONResponse.make(try await JourneyDryRun(store: store, clock: environment.clock).simulate(journey.definition, workspaceId: workspace.id, days: days))
        }
        group.get("outbox") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            return JSONResponse.make(["messages": JSONValue.array(try await store.outboxMessages(
                workspaceId: workspace.id, profileId: try q.id("profileId"), status: q.string("status"),
                limit: try q.int("limit", default: 100, in: 1...1000)))])
        }
    }

    static func parse(_ json: JSONValue) throws -> JourneyDefinition {
        do { return try JourneyDefinition.parse(json) } catch let invalid as JourneyInvalid { throw invalid.asCicloError }
    }

    static func find(_ store: Store, _ workspace: Workspace, _ key: String) async throws -> JourneyRecord {
        guard let journey = try await store.journey(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Journey \(key)") }
        return journey
    }

    static func view(_ j: JourneyRecord) -> JSONValue {
        ["key": .string(j.definition.key), "name": .string(j.definition.name), "status": .string(j.status.rawValue),
         "version": .int(Int64(j.version)), "definition": j.definition.json]
    }
}
