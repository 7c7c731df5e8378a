import Foundation

extension BGNBD {
    /// Simulates `customers` histories from this model (seeded): each joins at a time spread over `joinWeeks`, buys at
    /// its own Poisson rate and may drop out after each repeat purchase, observed until
    /// `observationWeeks`. Times are continuous, as the model assumes; order data rounded to days differs slightly.
    /// With `dailyResolution`, first and last purchase times are rounded down to whole days, as order data records them.
    public func simulate(customers: Int, seed: UInt64, joinWeeks: Double = 12, observationWeeks: Double = 39,
                         spend: GammaGamma? = nil, dailyResolution: Bool = false) -> [CustomerHistory] {
        var random = SeededRandom(seed: seed)
        var out: [CustomerHistory] = []
        out.reserveCapacity(customers)
        for i in 0..<customers {
            let lambda = random.gamma(shape: r, rate: alpha)
            let p = random.beta(a, b)
            let first = random.uniform() * joinWeeks
            let spendRate = spend.map { random.gamma(shape: $0.q, rate: $0.gamma) } ?? 0
            var now = first, last = first, x = 0, total = 0.0
            while true {
                now += random.exponential(rate: lambda)
                guard now <= observationWeeks else { break }
                x += 1
                last = now
                if let spend { total += random.gamma(shape: spend.p, rate: spendRate) }
                if random.uniform() < p { break }  // drops out after this repeat purchase
            }
            func day(_ t: Double) -> Double { dailyResolution ? (t * 7).rounded(.down) / 7 : t }
            out.append(CustomerHistory(customer: String(i), frequency: x, recency: day(last) - day(first), age: observationWeeks - day(first),
                                       monetary: x > 0 ? total / Double(x) : 0))
        }
        return out
    }
}
