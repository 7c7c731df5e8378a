import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/lifecycle`, `/api/v1/personas` and `/api/v1/rfm`: the model and its stage metrics, personas, RFM.
struct AdminLifecycleRoutes {
    let environment: ServerEnvironment

    func register(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        group.get("lifecycle") { _, context in
            let workspace = try context.requireWorkspace()
            let model = try await store.lifecycleModel(workspaceId: workspace.id)
            return JSONResponse.make(["model": model.json,
                                      "builtIn": .array(LifecycleModel.builtIn.map { ["key": .string($0.key), "name": .string($0.name)] })] as JSONValue)
        }
        group.put("lifecycle") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let model: LifecycleModel
            if let key = body["use"]?.stringValue {
                guard let builtIn = LifecycleModel.builtIn.first(where: { $0.key == key }) else {
                    throw CicloError.badRequest("unknown_model", "No built-in model \(key); one of \(LifecycleModel.builtIn.map(\.key).joined(separator: ", ")).")
                }
                model = builtIn
            } else {
                model = try LifecycleModel.parse(body)
            }
            try await store.setLifecycleModel(workspaceId: workspace.id, model)
            let report = try await store.recomputeAudience(workspaceId: workspace.id)
            return JSONResponse.make(["model": model.json, "stageChanges": .int(Int64(report.stageChanges))] as JSONValue)
        }
        group.get("lifecycle/metrics") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let to = try q.date("to") ?? environment.clock.now()
            let from = try q.date("from") ?? to.addingTimeInterval(-90 * 86_400)
            guard from < to else { throw CicloError.badRequest("invalid_parameter", "from must be before to.") }
            guard let interval = CalendarInterval(rawValue: q.string("interval") ?? "week") else {
                throw CicloError.badRequest("invalid_parameter", "interval must be day, week or month.")
            }
            let window = TimeSpan.days(Double(try q.int("windowDays", default: 30, in: 1...3650)))
            let zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
            return JSONResponse.make(try await store.stageMetrics(workspaceId: workspace.id, from: from, to: to, window: window,
                                                                  interval: interval, timeZone: zone))
        }
        group.get("lifecycle/personas") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(["counts": try await store.personaStageCounts(workspaceId: workspace.id)])
        }
        group.get("personas") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(["personas": JSONValue.array(try await store.personas(workspaceId: workspace.id).map(Self.json))])
        }
        group.put("personas/:key") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            func list(_ key: String) -> [String] { (body[key]?.arrayValue ?? []).compactMap(\.stringValue) }
            let persona = Persona(key: try context.parameters.require("key"), name: try RequestJSON.string(body, "name"),
                                  description: body["description"]?.stringValue ?? "", goals: list("goals"), needs: list("needs"),
                                  painPoints: list("painPoints"), preferredChannels: list("preferredChannels"),
                                  priority: Int(body["priority"]?.intValue ?? 100), condition: try RequestJSON.condition(body))
            try await store.savePersona(workspaceId: workspace.id, persona)
            _ = try await store.recomputeAudience(workspaceId: workspace.id)
            return JSONResponse.make(Self.json(persona))
        }
        group.delete("personas/:key") { _, context in
            let workspace = try context.requireWorkspace()
            try await store.deletePersona(workspaceId: workspace.id, key: try context.parameters.require("key"))
            _ = try await store.recomputeAudience(workspaceId: workspace.id)
            return Response(status: .noContent)
        }
        group.get("rfm") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(["rules": try await store.rfmRules(workspaceId: workspace.id).json])
        }
        group.put("rfm") { request, context in
            let workspace = try context.requireWorkspace()
            let rules = try RFMRules.parse(try await RequestJSON.object(request)["rules"] ?? .null)
            try await store.setRFMRules(workspaceId: workspace.id, rules)
            return JSONResponse.make(["rules": rules.json])
        }
        group.post("rfm/run") { _, context in
            let workspace = try context.requireWorkspace()
            let report = try await store.runRFM(workspaceId: workspace.id)
            _ = try await store.recomputeAudience(workspaceId: workspace.id)
            return JSONResponse.make(report)
        }
    }

    static func json(_ p: Persona) -> JSONValue {
        .object(p.definition.objectValue!.merging(["key": .string(p.key), "name": .string(p.name), "priority": .int(Int64(p.priority)),
                                                   "condition": p.condition.json]) { a, _ in a })
    }
}
