import Foundation

/// Simulates one visitor of the demo shop from first visit to the end of history.
struct DemoVisitor {
    let shop: DemoShop
    let index: Int
    var rng: SeededRandom
    var timeline: DemoTimeline
    let place: (city: String, country: String, timeZone: String, locale: String, weight: Double)
    let channel: (source: String?, medium: String?, campaign: String?, referrer: String?, weight: Double, signup: Double)
    let firstName: String
    let lastName: String
    var devices: [(anonymousId: String, type: String, os: String, browser: String)] = []
    var userId: String?
    var signedUpOn: Set<Int> = []
    var orders = 0

    init(shop: DemoShop, index: Int) {
        self.shop = shop
        self.index = index
        var rng = SeededRandom(seed: shop.parameters.seed, stream: UInt64(index) &+ 1)
        place = DemoPeople.places[rng.pick(weights: DemoPeople.places.map(\.weight))]
        channel = DemoPeople.channels[rng.pick(weights: DemoPeople.channels.map(\.weight))]
        firstName = DemoPeople.firstNames[rng.int(in: 0...(DemoPeople.firstNames.count - 1))]
        lastName = DemoPeople.lastNames[rng.int(in: 0...(DemoPeople.lastNames.count - 1))]
        let deviceCount = rng.chance(0.3) ? 2 : 1
        for d in 0..<deviceCount {
            let device = DemoPeople.devices[rng.int(in: 0...(DemoPeople.devices.count - 1))]
            devices.append(("anon-\(shop.parameters.seed)-\(index)-\(d)", device.type, device.os, device.browser))
        }
        self.rng = rng
        timeline = DemoTimeline(workspaceId: shop.parameters.workspaceId, seed: shop.parameters.seed, index: index,
                                end: shop.parameters.end)
    }

    var customerId: String { "cust-\(shop.parameters.seed)-\(index)" }
    var email: String { "\(firstName).\(lastName).\(index)@example.com".lowercased().folding(options: .diacriticInsensitive, locale: nil) }

    mutating func run() {
        let b = shop.behaviour
        var now = shop.start.addingTimeInterval(rng.uniform() * Double(shop.parameters.days) * 86_400)
        // Anonymous browsing before any decision.
        now = browse(at: now, device: 0, campaign: true)
        for _ in 0..<rng.poisson(mean: 0.8) {
            now = now.addingTimeInterval(rng.exponential(rate: 1.0 / (3 * 86_400)))
            now = browse(at: now, device: rng.int(in: 0...(devices.count - 1)), campaign: false)
        }
        guard rng.chance(min(0.95, b.signupRate * channel.signup)) else {
            if rng.chance(0.25) { _ = abandonCart(at: now.addingTimeInterval(600), device: 0) }
            return
        }
        now = now.addingTimeInterval(rng.exponential(rate: 1.0 / 3_600))
        signUp(at: now, device: 0)
        let newsletterStart = now
        if devices.count > 1 {
            // A second device starts anonymous, then logs in: two histories that must become one profile.
            let later = now.addingTimeInterval(rng.exponential(rate: 1.0 / (5 * 86_400)))
            _ = browse(at: later, device: 1, campaign: false)
            logIn(at: later.addingTimeInterval(120), device: 1)
        }
        var customerUntil = now
        if rng.chance(b.buyerRate) {
            customerUntil = purchaseLoop(from: now.addingTimeInterval(rng.exponential(rate: 1.0 / (2 * 86_400))))
        } else if rng.chance(0.4) {
            _ = abandonCart(at: now.addingTimeInterval(rng.exponential(rate: 1.0 / 86_400)), device: 0)
        }
        _ = customerUntil
        emailEngagement(from: newsletterStart)
    }

    /// A buy-till-you-die purchase process; returns the time of the last purchase.
    mutating func purchaseLoop(from first: Date) -> Date {
        let b = shop.behaviour
        let lambda = rng.gamma(shape: b.rateShape, rate: b.rateScaleDays)  // purchases per day
        let dropout = rng.beta(b.dropoutA, b.dropoutB)
        let couponAffinity = rng.beta(1, 3)
        var now = first
        var last = first
        while now <= shop.parameters.end {
            // Sometimes a cart is abandoned on the way to the next order.
            if orders > 0 && rng.chance(0.3) {
                _ = abandonCart(at: now.addingTimeInterval(-rng.uniform() * 3 * 86_400), device: 0)
            }
            guard order(at: now, device: rng.int(in: 0...(devices.count - 1)), couponAffinity: couponAffinity) else { break }
            last = now
            if rng.chance(dropout) { break }
            now = now.addingTimeInterval(max(3_600, rng.exponential(rate: lambda) * 86_400))
        }
        return last
    }
}
