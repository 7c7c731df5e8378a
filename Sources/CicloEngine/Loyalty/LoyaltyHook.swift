import CicloCore
import CicloStore
import Foundation

/// Feeds each profile batch into the points ledger inside the batch's transaction: orders earn, refunds and
/// cancellations claw back, action rules award, referral codes attribute, birthdays are noted. The ledger's unique
/// indexes make a replayed event a no-op. Does nothing in workspaces without a loyalty program.
public struct LoyaltyHook: Sendable {
    let store: Store
    let clock: any CicloClock

    public init(store: Store, clock: any CicloClock = SystemClock()) {
        self.store = store
        self.clock = clock
    }

    public var hook: ProfileProcessor.BatchHook {
        { result, session in try await self.apply(result, session) }
    }

    func apply(_ result: ProfileBatchResult, _ session: DatabaseSession) async throws {
        // NPS answers are kept on the profile whether or not the workspace runs a points program.
        for event in result.events where event.event == "NPS Submitted" {
            if let profile = event.profileId, let score = event.properties["score"]?.doubleValue, score == score.rounded(), (0...10).contains(score) {
                try await Store.recordNPS(in: session, workspaceId: result.workspaceId, profileId: profile, score: Int(score))
            }
        }
        guard let program = try await Store.loyaltyProgramIfAny(in: session, workspaceId: result.workspaceId) else { return }
        // One batch, one flush: profiles' copies of their standing and the ledger's timeline events are written once.
        let ledger = LoyaltyLedger(session: session, workspaceId: result.workspaceId, program: program, now: clock.now().epochMilliseconds,
                                   deferrals: LedgerDeferrals())
        let actions = Dictionary(grouping: program.actions.filter { $0.key != "birthday" }, by: \.event)
        for event in result.events {
            guard let profile = event.profileId else { continue }
            let at = event.timestamp.epochMilliseconds
            if let code = Self.referralCode(event) {
                let orders = result.profiles[profile]?.computed.orderCount ?? 0
                try await ledger.attributeReferral(code: code, referee: Self.party(event, profile), priorOrders: orders - (event.event == "Order Completed" ? 1 : 0))
            }
            switch event.event {
            case "Order Completed":
                // Keyed as every part of Ciclo keys an order: its id, else the event itself.
                if let order = OrderEvent.read(event)?.key(of: event) {
                    try await ledger.earn(order: order, properties: event.properties, profileId: profile, at: at)
                    try await ledger.referralOrder(refereeId: profile, orderId: order, at: at)
                }
            case "Order Refunded", "Order Cancelled":
                if let order = Self.orderId(event) {
                    let full = event.event == "Order Cancelled"
                    let amount = full ? nil : Self.refundAmount(event.properties)
                    let key = event.properties["refund_id"]?.scalarText ?? (full ? "cancelled" : event.messageId)
                    do {
                        try await ledger.clawback(order: order, refundKey: key, amount: amount)
                    } catch let error as CicloError where error.code == "unknown_order" || error.code == "invalid_amount" {
                        // An order that earned nothing (before the program, or below the minimum) has nothing to take back.
                    }
                    try await ledger.referralRefunded(orderId: order)
                }
            default: break
            }
            if let name = event.event {
                for rule in actions[name] ?? [] { try await ledger.award(rule, profileId: profile, at: at) }
            }
            if let birthday = (event.traits["birthday"] ?? event.context["traits"]?["birthday"])?.stringValue,
               let monthDay = LoyaltyCalendar.birthdayMonthDay(birthday) {
                try await ledger.noteBirthday(profile, monthDay: monthDay)
            }
        }
        try await ledger.flush()
    }

    /// The order's id as `OrderEvent` reads it; loyalty needs a stated one (an unnamed order cannot be refunded).
    static func orderId(_ event: Event) -> String? { OrderEvent.read(event)?.orderId }

    /// The refunded amount as `OrderEvent` reads it; nil (the whole rest) when the refund states none.
    static func refundAmount(_ properties: JSONValue) -> Double? { OrderEvent.read(.refunded, properties).amount }

    /// A referral code carried by the event: a `referral_code` property or trait, or a `ref` parameter on the page URL.
    static func referralCode(_ event: Event) -> String? {
        if let code = (event.properties["referral_code"] ?? event.traits["referral_code"] ?? event.context["traits"]?["referral_code"])?.stringValue,
           !code.isEmpty { return code }
        guard let url = event.context["page"]?["url"]?.stringValue, let items = URLComponents(string: url)?.queryItems else { return nil }
        return items.first { $0.name == "ref" }?.value.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func party(_ event: Event, _ profile: Int64) -> ReferralParty {
        var party = ReferralParty(profileId: profile)
        party.email = (event.traits["email"] ?? event.context["traits"]?["email"] ?? event.properties["email"])?.stringValue
        if let a = event.anonymousId { party.devices.insert(a) }
        if let d = event.context["device"]?["id"]?.stringValue { party.devices.insert(d) }
        if let ip = event.context["ip"]?.stringValue { party.ips.insert(ip) }
        for v in [event.properties["shipping_address"], event.traits["address"]] {
            if let v, let a = LoyaltyLedger.addressText(v) { party.shippingAddresses.insert(a) }
        }
        return party
    }
}
