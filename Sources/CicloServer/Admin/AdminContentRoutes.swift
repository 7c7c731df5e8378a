import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/content`: the content library (list, create, replace, archive), the coverage matrix, performance by
/// item × stage × persona, and a person's next best content; `/v1/content/next` serves it to sites (write key) and
/// records the impressions with the stage and persona the person is in.
struct AdminContentRoutes {
    let environment: ServerEnvironment

    func register(on admin: RouterGroup<CicloRequestContext>, router: Router<CicloRequestContext>) {
        let store = environment.store
        admin.get("content") { request, context in
            let ws = try context.requireWorkspace()
            let archived = QueryParameters(request: request).string("archived") == "true"
            return JSONResponse.make(["items": JSONValue.array(try await store.contentItems(workspaceId: ws.id, includeArchived: archived).map(\.json))])
        }
        admin.post("content") { request, context in
            let ws = try context.requireWorkspace()
            let item = try ContentItem.parse(try await RequestJSON.object(request))
            guard try await store.contentItem(workspaceId: ws.id, key: item.key) == nil else {
                throw CicloError(.conflict, code: "content_exists", "A content item \(item.key) exists; PUT /api/v1/content/\(item.key) to replace it.")
            }
            try await environment.content.save(workspaceId: ws.id, item)
            return JSONResponse.make(item.json, status: .created)
        }
        admin.put("content/:key") { request, context in
            let ws = try context.requireWorkspace()
            var body = try await RequestJSON.object(request)
            let key = try context.parameters.require("key")
            if case .object(var o) = body { o["key"] = .string(key); body = .object(o) }
            let item = try ContentItem.parse(body)
            try await environment.content.save(workspaceId: ws.id, item)
            return JSONResponse.make(item.json)
        }
        admin.delete("content/:key") { _, context in
            let ws = try context.requireWorkspace()
            guard var item = try await store.contentItem(workspaceId: ws.id, key: try context.parameters.require("key")) else {
                throw CicloError.notFound("That content item")
            }
            item.status = .archived
            try await environment.content.save(workspaceId: ws.id, item)
            return JSONResponse.make(item.json)
        }
        admin.get("content/coverage") { _, context in
            let ws = try context.requireWorkspace()
            let coverage = try await environment.content.coverage(workspaceId: ws.id)
            return JSONResponse.make(["stages": .array(coverage.stages.map { .string($0) }), "personas": .array(coverage.personas.map { .string($0) }),
                                      "cells": .array(coverage.cells.map(Self.cell)), "gaps": .array(coverage.gaps.map(Self.cell))] as JSONValue)
        }
        admin.get("content/performance") { request, context in
            let ws = try context.requireWorkspace()
            let since = try QueryParameters(request: request).date("since")?.epochMilliseconds ?? 0
            return JSONResponse.make(["rows": try await store.contentPerformance(workspaceId: ws.id, since: since)])
        }
        admin.get("content/next") { request, context in
            let ws = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            guard let id = q.string("profileId").flatMap(Int64.init) else { throw CicloError.badRequest("invalid_parameter", "profileId is required (a number).") }
            let advice = try await environment.content.next(workspaceId: ws.id, profileId: id, limit: try q.int("limit", default: 3, in: 1...20))
            return JSONResponse.make(Self.advice(advice))
        }
        router.group("v1").get("content/next") { request, _ in
            let personalize = PersonalizeRoutes(environment: environment)
            let source = try await personalize.source(request, body: [:])
            let q = QueryParameters(request: request)
            let profile = try await personalize.profile(source, StorefrontIdentity(q))
            let advice = try await environment.content.next(workspaceId: source.workspaceId, profileId: profile, limit: try q.int("limit", default: 3, in: 1...20))
            if let profile, !advice.picks.isEmpty {
                try await ContentImpressions(environment: environment).record(advice, workspaceId: source.workspaceId, profileId: profile)
            }
            return JSONResponse.make(Self.advice(advice))
        }
    }

    static func cell(_ c: ContentCoverage.Cell) -> JSONValue {
        ["persona": .string(c.persona), "stage": .string(c.stage), "items": .int(Int64(c.items)), "suggestedFormats": .array(c.suggestedFormats.map { .string($0) })]
    }

    static func advice(_ a: ContentAdvisor.Advice) -> JSONValue {
        ["level": .string(a.level.rawValue), "stage": a.stage.map { .string($0) } ?? .null, "persona": a.persona.map { .string($0) } ?? .null,
         "items": .array(a.picks.map { p in
             var o = p.item.json
             if case .object(var m) = o { m["score"] = .double(p.rate); o = .object(m) }
             return o
         })]
    }
}

/// Writes `Content Viewed` for what was served, tagged with the person's stage and persona at that moment.
struct ContentImpressions: Sendable {
    let environment: ServerEnvironment

    func record(_ advice: ContentAdvisor.Advice, workspaceId: Int64, profileId: Int64) async throws {
        guard let contact = try await environment.store.contact(workspaceId: workspaceId, profileId: profileId) else { return }
        let now = environment.clock.now()
        let events = advice.picks.compactMap { pick in
            Event.engagement("Content Viewed", workspaceId: workspaceId, identifiers: contact.identifiers,
                             properties: ["content_key": .string(pick.item.key), "format": .string(pick.item.format),
                                          "stage": advice.stage.map { .string($0) } ?? .null, "persona": advice.persona.map { .string($0) } ?? .null,
                                          "level": .string(advice.level.rawValue)],
                             at: now, messageId: "ciclo-content:\(profileId):\(pick.item.key):\(now.epochMilliseconds)")
        }
        _ = try await environment.ingest.submit(events)
    }
}
