import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// `GET /v1/recommendations` for sites and apps (write key): a list for a person or around a product, each item with
/// the strategy that produced it; an unknown person gets the fallback chain and is told so. The admin API trains.
struct RecommendationRoutes {
    let environment: ServerEnvironment

    func register(on router: Router<CicloRequestContext>, admin: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        let group = router.group("v1").add(middleware: CORSMiddleware(
            allowOrigin: .originBased, allowHeaders: [.accept, .authorization, .contentType, .origin], allowMethods: [.get, .options]))
        group.get("recommendations") { request, _ in
            let source = try await PersonalizeRoutes(environment: environment).source(request, body: [:])
            let q = QueryParameters(request: request)
            let identity = StorefrontIdentity(q)
            let profile = try await PersonalizeRoutes(environment: environment).profile(source, identity)
            return JSONResponse.make(try await Self.list(store, source.workspaceId, profile: profile, q, askedForPerson: identity.namesSomebody))
        }
        admin.get("recommendations") { request, context in
            let workspace = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let profile = try q.string("profileId").map { text -> Int64 in
                guard let id = Int64(text) else { throw CicloError.badRequest("invalid_parameter", "profileId is a number.") }
                return id
            }
            return JSONResponse.make(try await Self.list(store, workspace.id, profile: profile, q, askedForPerson: profile != nil))
        }
        admin.post("recommendations/train") { _, context in
            let workspace = try context.requireWorkspace()
            let report = try await RecommendationTrainer(store: store).train(workspaceId: workspace.id)
            return JSONResponse.make(report)
        }
    }

    static func list(_ store: Store, _ workspaceId: Int64, profile: Int64?, _ q: QueryParameters, askedForPerson: Bool) async throws -> JSONValue {
        let name = q.string("strategy") ?? "personalised"
        guard let strategy = RecommendationService.Strategy(rawValue: name) else {
            throw CicloError.badRequest("invalid_strategy", "strategy is one of " + RecommendationService.Strategy.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let k = try q.int("k", default: 10, in: 1...RecommendationService.maxK)
        let exclude = Set((q.string("exclude") ?? "").split(separator: ",").map(String.init))
        let result = try await RecommendationService(store: store).recommend(workspaceId: workspaceId, profileId: profile, strategy: strategy, k: k,
                                                                             category: q.string("category"), seed: q.string("productId"), exclude: exclude)
        var out: [String: JSONValue] = ["strategy": .string(strategy.rawValue), "items": .array(result.items.map { item in
            var o: [String: JSONValue] = ["productId": .string(item.product.id), "strategy": .string(item.strategy)]
            if let n = item.product.name { o["name"] = .string(n) }
            if let c = item.product.category { o["category"] = .string(c) }
            if let p = item.product.price { o["price"] = .double(p) }
            return .object(o)
        })]
        if askedForPerson && profile == nil { out["fallback"] = "unknown person: the list comes from the fallback chain" }
        return .object(out)
    }
}
