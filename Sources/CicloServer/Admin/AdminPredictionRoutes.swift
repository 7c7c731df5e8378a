import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/predictions`: run the models now, list the runs, and the latest calibration/holdout comparison.
struct AdminPredictionRoutes {
    let environment: ServerEnvironment

    func register(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        group.post("predictions/run") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let asOf = try q.date("asOf") ?? environment.clock.now()
            guard asOf <= environment.clock.now().addingTimeInterval(86_400) else {
                throw CicloError.badRequest("invalid_parameter", "asOf cannot be in the future.")
            }
            let report = try await PredictionRunner(store: store, logger: context.logger).run(workspaceId: workspace.id, asOf: asOf)
            var json = report.run.json
            if case .object(var o) = json {
                o["scored"] = .int(Int64(report.scored))
                o["affinities"] = .int(Int64(report.affinities))
                json = .object(o)
            }
            return JSONResponse.make(json)
        }
        group.get("predictions/models") { request, context in
            let workspace = try context.requireWorkspace()
            let limit = try QueryParameters(request: request).int("limit", default: 20, in: 1...200)
            return JSONResponse.make(["runs": JSONValue.array(try await store.predictionRuns(workspaceId: workspace.id, limit: limit).map(\.json))])
        }
        group.get("predictions/validation") { _, context in
            let workspace = try context.requireWorkspace()
            guard let run = try await store.predictionRuns(workspaceId: workspace.id, limit: 1).first else {
                throw CicloError.notFound("A prediction run (run one with POST /api/v1/predictions/run or `ciclo predict run`)")
            }
            guard let validation = run.validation else {
                throw CicloError.notFound("A holdout comparison: the latest run had less than eight weeks of order history to hold out")
            }
            return JSONResponse.make(["run": run.json, "validation": validation])
        }
    }
}
