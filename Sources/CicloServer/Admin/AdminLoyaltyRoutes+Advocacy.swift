import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

extension AdminLoyaltyRoutes {
    /// Referrals to review, NPS, reviews, the nightly jobs on demand and the ledger check.
    func registerAdvocacy(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        group.get("loyalty/referrals") { request, context in
            let ws = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let status = q.string("status")
            guard status == nil || ["pending", "held", "rejected", "completed", "voided"].contains(status!) else {
                throw CicloError.badRequest("invalid_parameter", "status is pending, held, rejected, completed or voided.")
            }
            let limit = try q.int("limit", default: 200, in: 1...1_000)
            return JSONResponse.make(["referrals": try await store.referrals(workspaceId: ws.id, status: status, limit: limit)])
        }
        for decision in ["approve", "reject"] {
            group.post("loyalty/referrals/:id/\(decision)") { _, context in
                let ws = try context.requireWorkspace()
                guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw CicloError.badRequest("invalid_id", "The referral id is a number.") }
                try await store.decideReferral(workspaceId: ws.id, id: id, approve: decision == "approve", actor: "api")
                return JSONResponse.make(["id": .int(id), "status": .string(decision == "approve" ? "pending" : "rejected")] as JSONValue)
            }
        }
        group.get("loyalty/nps") { request, context in
            let ws = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let since = try q.date("since")?.epochMilliseconds ?? 0
            let groups = try await store.npsBreakdown(workspaceId: ws.id, by: q.string("by") ?? "all", since: since)
            return JSONResponse.make(["groups": JSONValue.array(groups.map { g in
                ["group": .string(g.group), "promoters": .int(Int64(g.score.promoters)), "passives": .int(Int64(g.score.passives)),
                 "detractors": .int(Int64(g.score.detractors)), "responses": .int(Int64(g.score.responses)),
                 "nps": g.score.score.map { .double($0) } ?? .null, "margin95": g.score.margin95.map { .double($0) } ?? .null]
            })])
        }
        group.get("loyalty/reviews") { request, context in
            let ws = try context.requireWorkspace()
            let q = QueryParameters(request: request)
            let limit = try q.int("limit", default: 100, in: 1...1_000)
            guard q.string("by") == nil || q.string("by") == "persona" else { throw CicloError.badRequest("invalid_parameter", "by is persona (or left out).") }
            return JSONResponse.make(["products": try await store.productReviews(workspaceId: ws.id, byPersona: q.string("by") == "persona", limit: limit)])
        }
        group.post("loyalty/jobs/run") { _, context in
            let ws = try context.requireWorkspace()
            return JSONResponse.make(try await store.runLoyaltyJobs(workspaceId: ws.id))
        }
        group.get("loyalty/verify") { _, context in
            let ws = try context.requireWorkspace()
            let check = try await store.verifyLoyalty(workspaceId: ws.id, repair: false)
            return JSONResponse.make(["accounts": .int(Int64(check.accounts)), "discrepancies": .int(Int64(check.discrepancies.count))] as JSONValue)
        }
    }
}
