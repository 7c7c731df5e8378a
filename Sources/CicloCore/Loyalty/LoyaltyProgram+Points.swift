import Foundation

extension LoyaltyProgram {
    /// An order's eligible amount and the points it earns: lines (or the order total) without shipping, tax, gift
    /// cards and discounts unless configured, multiplied by category, SKU and tier, then rounded once.
    public func orderPoints(_ properties: JSONValue, tier: String? = nil) -> (eligible: Double, points: Int) {
        // The order as every part of Ciclo reads it (`OrderEvent`); the program decides which of it earns.
        let order = OrderEvent.read(.completed, properties)
        var eligible = 0.0, weighted = 0.0
        if !order.lines.isEmpty {
            for line in order.lines where !line.giftCard {
                let multiplier = max(categoryMultipliers[line.category ?? ""] ?? 1, skuMultipliers[line.sku ?? ""] ?? 1)
                eligible += line.amount
                weighted += line.amount * multiplier
            }
            let discount = max(0, order.discount ?? 0)
            if discount > 0, eligible > 0 {
                weighted *= max(0, eligible - discount) / eligible  // the discount shrinks every line alike
                eligible = max(0, eligible - discount)
            }
        } else {
            eligible = order.amount ?? 0
            weighted = eligible
        }
        if includeShipping, let shipping = order.shipping { eligible += shipping; weighted += shipping }
        if includeTax, let tax = order.tax { eligible += tax; weighted += tax }
        guard eligible >= minimumOrder, eligible > 0 else { return (eligible, 0) }
        let tierMultiplier = tiers.first { $0.key == tier }?.multiplier ?? 1
        return (eligible, round(weighted * pointsPerUnit * tierMultiplier))
    }

    /// The most points one order can earn: amounts are bounded at ingest, but lines × quantities × rates multiply.
    public static let maxOrderPoints = 1_000_000_000_000

    /// The declared rounding, applied once, within 0 ... `maxOrderPoints` whatever the arithmetic before it made.
    public func round(_ value: Double) -> Int {
        // A tiny tolerance keeps 1.4999999 (from 0.1 + 0.2 style sums) from losing a point it deserves.
        let rule: FloatingPointRoundingRule = rounding == .floor ? .down : .toNearestOrAwayFromZero
        return min(Self.maxOrderPoints, max(0, Int(saturating: value + 1e-9, rounding: rule)))
    }

    /// Points to take back for a refund of `refundedAmount` of an order that earned `earned` on `eligible`, given
    /// what earlier refunds already took: cumulative and proportional, never more than was earned.
    public func clawback(earned: Int, eligible: Double, refundedSoFar: Double, refundedAmount: Double, clawedSoFar: Int) -> Int {
        guard eligible > 0, earned > 0 else { return 0 }
        let refunded = min(eligible, refundedSoFar + max(0, refundedAmount))
        let due = refunded >= eligible - 1e-9 ? earned : Int(saturating: Double(earned) * refunded / eligible + 1e-9, rounding: .down)
        return max(0, min(earned, due) - clawedSoFar)
    }
}

/// One spendable lot of points.
public struct PointsLot: Sendable, Equatable {
    public var id: Int64
    public var remaining: Int
    public var expiresAt: Int64?
    public init(id: Int64, remaining: Int, expiresAt: Int64?) { (self.id, self.remaining, self.expiresAt) = (id, remaining, expiresAt) }

    /// The lots to spend `points` from: soonest expiry first, never-expiring last, then oldest.
    public static func spend(_ points: Int, from lots: [PointsLot]) -> [(lot: Int64, points: Int)]? {
        let ordered = lots.filter { $0.remaining > 0 }.sorted { ($0.expiresAt ?? .max, $0.id) < ($1.expiresAt ?? .max, $1.id) }
        var left = points, taken: [(Int64, Int)] = []
        for lot in ordered where left > 0 {
            let take = min(lot.remaining, left)
            taken.append((lot.id, take))
            left -= take
        }
        return left == 0 ? taken : nil
    }
}
