import Foundation

extension SeededRandom {
    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// An exponential draw with the given rate.
    public mutating func exponential(rate: Double) -> Double {
        -log(max(1 - uniform(), 1e-300)) / rate
    }

    /// A gamma draw with `shape` and `rate` (Marsaglia–Tsang; boosted for shape < 1).
    public mutating func gamma(shape: Double, rate: Double) -> Double {
        if shape < 1 {
            let boost = pow(max(uniform(), 1e-300), 1 / shape)
            return gamma(shape: shape + 1, rate: rate) * boost
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) {
                return d * v / rate
            }
        }
    }

    /// A beta draw from two gammas.
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a, rate: 1)
        let y = gamma(shape: b, rate: 1)
        return x / (x + y)
    }

    /// A Poisson draw (Knuth's method for small means, normal approximation for large ones).
    public mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 50 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = exp(-mean)
        var k = 0
        var p = 1.0
        repeat {
            k += 1
            p *= uniform()
        } while p > limit
        return k - 1
    }

    /// A log-normal draw with the given median and spread (sigma of the log).
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal())
    }
}
