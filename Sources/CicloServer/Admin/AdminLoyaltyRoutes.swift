import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/loyalty`: the program, members (view, adjustments, redemptions, reversals, tiers), a points preview,
/// coupon pools, referrals to review, NPS and reviews, the nightly jobs and the ledger check.
struct AdminLoyaltyRoutes {
    let environment: ServerEnvironment

    func register(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        group.get("loyalty/program") { _, context in
            let ws = try context.requireWorkspace()
            guard let program = try await store.loyaltyProgram(workspaceId: ws.id) else {
                throw CicloError(.notFound, code: "loyalty_off", "This workspace has no loyalty program; PUT one to /api/v1/loyalty/program.")
            }
            return JSONResponse.make(program.json)
        }
        group.put("loyalty/program") { request, context in
            let ws = try context.requireWorkspace()
            let program = try await store.applyLoyaltyProgram(workspaceId: ws.id, try await RequestJSON.object(request))
            return JSONResponse.make(program.json)
        }
        group.get("loyalty/members/:profile") { _, context in
            let ws = try context.requireWorkspace()
            return JSONResponse.make(try await store.loyaltyMember(workspaceId: ws.id, profileId: try Self.profile(context)))
        }
        group.post("loyalty/members/:profile/adjustments") { request, context in
            let ws = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let points = try Self.points(body["points"])
            let debit = body["type"]?.stringValue == "debit"
            guard body["type"] == nil || debit || body["type"]?.stringValue == "credit" else {
                throw CicloError.badRequest("invalid_type", "type is credit (the default) or debit.")
            }
            let reason = try RequestJSON.string(body, "reason")
            let expiry: Int64?? = try body["expiresAt"].map { v in
                guard let text = v.stringValue, let date = ISO8601.parse(text) else { throw CicloError.badRequest("invalid_date", "expiresAt is an ISO 8601 date.") }
                return .some(date.epochMilliseconds)
            }
            let profile = try Self.profile(context)
            let key = request.headers[.init("Idempotency-Key")!]
            let account = try await store.withLedger(workspaceId: ws.id) {
                try await $0.adjust(profileId: profile, points: debit ? -points : points, reason: reason, actor: "api", idempotencyKey: key,
                                    expiresAt: expiry ?? nil)
            }
            return JSONResponse.make(account, status: .created)
        }
        group.post("loyalty/members/:profile/redemptions") { request, context in
            let ws = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            guard let key = request.headers[.init("Idempotency-Key")!], !key.isEmpty else {
                throw CicloError.badRequest("missing_idempotency_key", "Redemptions need an Idempotency-Key header so a retry cannot spend twice.")
            }
            let reward = body["reward"]?.stringValue
            let points = try body["points"].map { try Self.points($0) }
            let orderTotal = try body["orderTotal"].map { v -> Double in
                guard let d = v.doubleValue, d > 0, d.isFinite, v.stringValue == nil else { throw CicloError.badRequest("invalid_amount", "orderTotal is a positive number.") }
                return d
            }
            let profile = try Self.profile(context)
            do {
                let redemption = try await store.withLedger(workspaceId: ws.id) {
                    try await $0.redeem(profileId: profile, reward: reward, points: points, idempotencyKey: key, orderTotal: orderTotal)
                }
                return JSONResponse.make(redemption, status: redemption.replayed ? .ok : .created)
            } catch let short as InsufficientPoints {
                return JSONResponse.make(["code": "insufficient_points", "message": .string("Needs \(short.needed) points; \(short.available) are spendable."),
                                          "needed": .int(Int64(short.needed)), "available": .int(Int64(short.available)),
                                          "shortfall": .int(Int64(short.shortfall))] as JSONValue, status: .conflict)
            }
        }
        group.post("loyalty/redemptions/:entry/reverse") { request, context in
            let ws = try context.requireWorkspace()
            guard let entry = context.parameters.get("entry").flatMap(Int64.init) else {
                throw CicloError.badRequest("invalid_id", "The redemption id is a number.")
            }
            let body = (try? await RequestJSON.object(request)) ?? [:]
            let balance = try await store.withLedger(workspaceId: ws.id) {
                try await $0.reverse(redemption: entry, reason: body["reason"]?.stringValue, actor: "api")
            }
            return JSONResponse.make(["balance": .int(Int64(balance))] as JSONValue)
        }
        group.post("loyalty/members/:profile/tier") { request, context in
            let ws = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let tier = try RequestJSON.string(body, "tier")
            guard let until = body["until"]?.stringValue.flatMap(ISO8601.parse) else {
                throw CicloError.badRequest("missing_field", "until (an ISO 8601 date) is required: a manual tier carries an end date.")
            }
            let profile = try Self.profile(context)
            try await store.withLedger(workspaceId: ws.id) { ledger in
                guard ledger.program.tiers.contains(where: { $0.key == tier }) else {
                    throw CicloError(.notFound, code: "unknown_tier", "There is no tier \(tier) in the program.")
                }
                let account = try await ledger.lock(profile)
                try await ledger.setTier(profile, from: account.tier, to: tier, manualUntil: until.epochMilliseconds)
            }
            return JSONResponse.make(try await store.loyaltyMember(workspaceId: ws.id, profileId: profile).account)
        }
        group.post("loyalty/simulate") { request, context in
            let ws = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            guard let program = try await store.loyaltyProgram(workspaceId: ws.id) else {
                throw CicloError(.notFound, code: "loyalty_off", "This workspace has no loyalty program.")
            }
            guard let order = body["order"], order.objectValue != nil else { throw CicloError.badRequest("missing_field", "order (the Order Completed properties) is required.") }
            // The same ranges as ingest: a preview of an order that could never be stored answers why.
            if let rejection = TrackingRanges.rejection(properties: order) { throw CicloError.badRequest(rejection.code, rejection.message) }
            let (eligible, points) = program.orderPoints(order, tier: body["tier"]?.stringValue)
            return JSONResponse.make(["eligible": .double(eligible), "points": .int(Int64(points)), "pendingDays": .int(Int64(program.pendingDays))] as JSONValue)
        }
        group.post("loyalty/rewards/:reward/coupons") { request, context in
            let ws = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            guard let codes = body["codes"]?.arrayValue?.compactMap(\.stringValue) else { throw CicloError.badRequest("missing_field", "codes is a list of strings.") }
            let added = try await store.importCoupons(workspaceId: ws.id, reward: try context.parameters.require("reward"), codes: codes)
            return JSONResponse.make(["added": .int(Int64(added))] as JSONValue)
        }
        group.post("loyalty/refunds") { request, context in
            let ws = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            let order = try RequestJSON.string(body, "orderId"), refund = try RequestJSON.string(body, "refundId")
            let amount = try body["amount"].map { v -> Double in
                guard let d = v.doubleValue, d > 0, d.isFinite, v.stringValue == nil else { throw CicloError.badRequest("invalid_amount", "amount is a positive number.") }
                return d
            }
            let due = try await store.withLedger(workspaceId: ws.id) { try await $0.clawback(order: order, refundKey: refund, amount: amount) }
            return JSONResponse.make(["clawedBack": due.map { .int(Int64($0)) } ?? .null, "replayed": .bool(due == nil)] as JSONValue)
        }
        registerAdvocacy(on: group)
    }

    static func profile(_ context: CicloRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("profile").flatMap(Int64.init), id > 0 else {
            throw CicloError.badRequest("invalid_id", "The member is named by profile id, a positive number.")
        }
        return id
    }

    /// A whole, positive number of points; fractions, negatives and text are refused.
    static func points(_ value: JSONValue?) throws -> Int {
        guard case .int(let n) = value, n > 0, n < 1_000_000_000 else {
            throw CicloError.badRequest("invalid_points", "points must be a whole number above 0 (use type: debit to take points away).")
        }
        return Int(n)
    }
}
