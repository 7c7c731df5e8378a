import CicloCore
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/dead-letters`: events and enrolments a background step set aside because each failed on its own, with
/// the error, newest first; `?stage=profiles|journeys`, paged by `after` (the last id seen).
struct AdminDeadLetterRoutes {
    let environment: ServerEnvironment

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("dead-letters") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let stage = try q.string("stage").map { text -> ProcessingDeadLetter.Stage in
                guard let stage = ProcessingDeadLetter.Stage(rawValue: text) else {
                    throw CicloError.badRequest("invalid_parameter", "stage is one of " + ProcessingDeadLetter.Stage.allCases.map(\.rawValue).joined(separator: ", ") + ".")
                }
                return stage
            }
            let limit = try q.int("limit", default: 100, in: 1...1000)
            let letters = try await environment.store.processingDeadLetters(workspaceId: workspace.id, stage: stage, before: try q.id("after"), limit: limit)
            let counts = try await environment.store.processingDeadLetterCounts(workspaceId: workspace.id)
            return JSONResponse.make([
                "deadLetters": .array(letters.map(Self.json)),
                "counts": .object(Dictionary(uniqueKeysWithValues: ProcessingDeadLetter.Stage.allCases.map { ($0.rawValue, JSONValue.int(Int64(counts[$0] ?? 0))) })),
                "next": letters.count == limit ? letters.last.map { .string(String($0.id)) } ?? .null : .null,
            ] as JSONValue)
        }
    }

    static func json(_ d: ProcessingDeadLetter) -> JSONValue {
        // A payload cut at 64 KB is no longer JSON; it is shown as the text it is.
        let payload = (try? JSONValue.parse(d.payload)) ?? .string(d.payload)
        return ["id": .int(d.id), "stage": .string(d.stage.rawValue), "itemId": .int(d.itemId), "error": .string(d.error), "payload": payload,
                "createdAt": .string(ISO8601.format(Date(epochMilliseconds: d.createdAt)))]
    }
}
