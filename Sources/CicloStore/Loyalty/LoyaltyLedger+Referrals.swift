import CicloCore
import Foundation
import SQLKit

/// One referral as the admin API lists it.
public struct ReferralRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var referrerId: Int64
    public var refereeId: Int64
    /// `pending`, `held`, `rejected`, `completed` or `voided`.
    public var status: String
    public var reason: String?
    public var orderId: String?
    public var createdAt: Int64
    public var qualifiesAt: Int64?
}

extension LoyaltyLedger {
    /// The member's referral code, created on first use.
    public func referralCode(for profileId: Int64) async throws -> String {
        if let code = try await sql.raw("""
            SELECT code FROM referral_codes WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            """).first()?.decode(column: "code", as: String.self) { return code }
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let code = String((0..<8).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            if try await sql.raw("""
                INSERT INTO referral_codes (workspace_id, profile_id, code) VALUES (\(bind: workspaceId), \(bind: profileId), \(bind: code))
                ON CONFLICT DO NOTHING RETURNING code
                """).first() != nil { return code }
        }
        throw CicloError(.internalError, code: "referral_code", "Could not allocate a referral code.")
    }

    /// Attributes `referee` to the owner of `code` once (the first attribution wins) and judges it with the guards.
    /// Returns the stored referral, or nil for an unknown code or a referee already attributed.
    @discardableResult
    public func attributeReferral(code: String, referee: ReferralParty, priorOrders: Int) async throws -> ReferralRecord? {
        guard let referrerId = try await sql.raw("""
            SELECT profile_id FROM referral_codes WHERE workspace_id = \(bind: workspaceId) AND code = \(bind: code.lowercased())
            """).first()?.decode(column: "profile_id", as: Int64.self) else { return nil }
        let referrer = try await party(referrerId)
        let yearAgo = now - 365 * 86_400_000
        let recent = try await sql.raw("""
            SELECT COUNT(*) AS n FROM referrals WHERE workspace_id = \(bind: workspaceId) AND referrer_id = \(bind: referrerId)
            AND created_at > \(bind: yearAgo) AND status NOT IN ('rejected', 'voided')
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        var refereeParty = referee
        let stored = try await party(referee.profileId)
        refereeParty.email = referee.email ?? stored.email
        refereeParty.devices.formUnion(stored.devices)
        refereeParty.shippingAddresses.formUnion(stored.shippingAddresses)
        let verdict = ReferralGuard.judge(referrer: referrer, referee: refereeParty, refereeHasOrdered: priorOrders > 0,
                                          referralsThisYear: recent, allowance: program.referralAllowance)
        guard let id = try await sql.raw("""
            INSERT INTO referrals (workspace_id, referrer_id, referee_id, status, reason, created_at)
            VALUES (\(bind: workspaceId), \(bind: referrerId), \(bind: referee.profileId), \(bind: verdict.status), \(bind: verdict.reason), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING id
            """).first()?.decode(column: "id", as: Int64.self) else { return nil }
        if case .rejected(let reason) = verdict {
            try await emit("Referral Rejected", referrerId, ["referral_id": .int(id), "referee_id": .int(referee.profileId), "reason": .string(reason)],
                           key: "referral-rejected|\(id)")
        }
        return ReferralRecord(id: id, referrerId: referrerId, refereeId: referee.profileId, status: verdict.status, reason: verdict.reason,
                              orderId: nil, createdAt: now, qualifiesAt: nil)
    }

    /// What is stored about a person for the guards: email, device and anonymous ids, addresses, recent IPs.
    func party(_ profileId: Int64) async throws -> ReferralParty {
        var party = ReferralParty(profileId: profileId)
        for row in try await sql.raw("""
            SELECT kind, value FROM identities WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            """).all() {
            let kind = try row.decode(column: "kind", as: String.self), value = try row.decode(column: "value", as: String.self)
            if kind == "email" { party.email = value } else if kind != "userId" { party.devices.insert(value) }
        }
        if let traits = try await sql.raw("""
            SELECT \(unsafeRaw: session.dialect.jsonText("traits")) AS t FROM profiles WHERE id = \(bind: profileId)
            """).first()?.decode(column: "t", as: String?.self) {
            // Ciclo wrote this JSON itself: one that does not parse is damage to report, not a person without traits.
            let json = try JSONValue.parse(traits)
            for key in ["address", "shipping_address"] { if let a = json[key].flatMap(Self.addressText) { party.shippingAddresses.insert(a) } }
            if party.email == nil { party.email = json["email"]?.stringValue }
        }
        let contexts = try await sql.raw("""
            SELECT \(unsafeRaw: session.dialect.jsonText("context")) AS c, \(unsafeRaw: session.dialect.jsonText("properties")) AS p
            FROM \(unsafeRaw: session.dialect.events(.byProfile)) WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: profileId)
            ORDER BY timestamp DESC LIMIT 50
            """).all()
        for row in contexts {
            let c = try JSONValue.parse(try row.decode(column: "c", as: String.self))
            if let ip = c["ip"]?.stringValue { party.ips.insert(ip) }
            if let device = c["device"]?["id"]?.stringValue { party.devices.insert(device) }
            let p = try JSONValue.parse(try row.decode(column: "p", as: String.self))
            if let a = p["shipping_address"].flatMap(Self.addressText) { party.shippingAddresses.insert(a) }
        }
        return party
    }

    /// An address trait (text or an object of lines) as one comparable line.
    public static func addressText(_ value: JSONValue) -> String? {
        if let s = value.stringValue { return s.isEmpty ? nil : s }
        guard let o = value.objectValue else { return nil }
        let parts = ["street", "line1", "line2", "postal_code", "postalCode", "city", "country"].compactMap { o[$0]?.scalarText }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The referee's first order starts the review period: rewards wait until it is past the return window.
    public func referralOrder(refereeId: Int64, orderId: String, at: Int64) async throws {
        let qualifies = LoyaltyCalendar(timeZone: program.timeZone).adding(days: program.pendingDays, to: min(at, now))
        try await sql.raw("""
            UPDATE referrals SET order_id = \(bind: orderId), qualifies_at = \(bind: qualifies) WHERE workspace_id = \(bind: workspaceId)
            AND referee_id = \(bind: refereeId) AND status IN ('pending', 'held') AND order_id IS NULL
            """).run()
    }

    /// A refund of the qualifying order voids a referral still in review, or claws back rewards already given.
    public func referralRefunded(orderId: String) async throws {
        guard let row = try await sql.raw("""
            SELECT id, status, referrer_id, referee_id FROM referrals WHERE workspace_id = \(bind: workspaceId) AND order_id = \(bind: orderId)
            """).first() else { return }
        let id = try row.decode(column: "id", as: Int64.self), status = try row.decode(column: "status", as: String.self)
        if status == "pending" || status == "held" {
            try await sql.raw("UPDATE referrals SET status = 'voided', reason = 'order_refunded', decided_at = \(bind: now) WHERE id = \(bind: id)").run()
        } else if status == "completed" {
            try await sql.raw("UPDATE referrals SET status = 'voided', reason = 'order_refunded', decided_at = \(bind: now) WHERE id = \(bind: id)").run()
            for column in ["referrer_id", "referee_id"] {
                let member = try row.decode(column: column, as: Int64.self)
                guard let earned = try await sql.raw("""
                    SELECT points FROM loyalty_entries WHERE workspace_id = \(bind: workspaceId) AND profile_id = \(bind: member)
                    AND kind = 'earn_referral' AND source_key = \(bind: "referral:\(id)")
                    """).first()?.decode(column: "points", as: Int.self) else { continue }
                try await lock(member)
                guard let entry = try await append(member, kind: "clawback", points: 0, due: earned, orderId: "referral:\(id):\(member)",
                                                   sourceKey: "void") else { continue }
                let taken = try await takeBack(earned, from: member, entryId: entry, preferringEntry: nil)
                try await sql.raw("UPDATE loyalty_entries SET points = \(bind: -taken) WHERE id = \(bind: entry)").run()
                try await refresh(member)
            }
        }
    }

    /// Completes referrals whose review period has passed and rewards both sides once.
    func completeReferrals() async throws -> Int {
        let due = try await sql.raw("""
            SELECT id, referrer_id, referee_id FROM referrals WHERE workspace_id = \(bind: workspaceId) AND status = 'pending'
            AND qualifies_at IS NOT NULL AND qualifies_at <= \(bind: now)
            """).all()
        for row in due {
            let id = try row.decode(column: "id", as: Int64.self)
            try await sql.raw("UPDATE referrals SET status = 'completed', decided_at = \(bind: now) WHERE id = \(bind: id)").run()
            for (column, points) in [("referrer_id", program.referrerPoints), ("referee_id", program.refereePoints)] where points > 0 {
                let member = try row.decode(column: column, as: Int64.self)
                try await lock(member)
                guard let entry = try await append(member, kind: "earn_referral", points: points, rule: column == "referrer_id" ? "referrer" : "referee",
                                                   sourceKey: "referral:\(id)") else { continue }
                try await addLot(member, entryId: entry, points: points, at: now, pendingDays: 0)
                try await refresh(member)
            }
            try await sql.raw("""
                UPDATE profiles SET referral_count = (SELECT COUNT(*) FROM referrals r WHERE r.workspace_id = profiles.workspace_id
                  AND r.referrer_id = profiles.id AND r.status = 'completed') WHERE id = \(bind: try row.decode(column: "referrer_id", as: Int64.self))
                """).run()
            try await emit("Referral Completed", try row.decode(column: "referrer_id", as: Int64.self),
                           ["referral_id": .int(id), "referee_id": .int(try row.decode(column: "referee_id", as: Int64.self))], key: "referral|\(id)")
        }
        return due.count
    }
}
