import Foundation

/// Minimises a smooth function of a few variables with BFGS and a backtracking (Armijo) line search: the models
/// here have 2 to 4 parameters, analytic gradients and well-behaved likelihoods, so this converges in tens of steps.
public struct QuasiNewton {
    /// Stop when the gradient's largest component is below this.
    public var gradientTolerance = 1e-9
    /// Stop when a step changes the value by less than this (relative).
    public var valueTolerance = 1e-14
    public var maxIterations = 500

    public init() {}

    /// The result of a minimisation.
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        public var iterations: Int
        public var converged: Bool
    }

    /// Minimises `f`, which returns the value and gradient at a point (value may be +∞ where undefined).
    public func minimise(from start: [Double], _ f: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        let n = start.count
        var x = start
        var (fx, g) = f(x)
        var h = identity(n)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            if g.map(abs).max() ?? 0 < gradientTolerance { return Result(point: x, value: fx, iterations: iterations, converged: true) }
            var direction = multiply(h, g).map { -$0 }
            var slope = dot(direction, g)
            if slope >= 0 {  // not a descent direction: fall back to steepest descent
                h = identity(n)
                direction = g.map { -$0 }
                slope = dot(direction, g)
            }
            var step = 1.0
            var next = x, fNext = Double.infinity, gNext = g
            while step > 1e-20 {
                next = zip(x, direction).map { $0 + step * $1 }
                (fNext, gNext) = f(next)
                if fNext.isFinite && fNext <= fx + 1e-4 * step * slope { break }
                step *= 0.5
            }
            guard fNext.isFinite, fNext <= fx else { return Result(point: x, value: fx, iterations: iterations, converged: false) }
            let s = zip(next, x).map { $0 - $1 }, y = zip(gNext, g).map { $0 - $1 }
            let change = fx - fNext
            x = next
            fx = fNext
            g = gNext
            if change <= valueTolerance * max(1, abs(fx)) && (g.map(abs).max() ?? 0) < 1e-5 {
                return Result(point: x, value: fx, iterations: iterations, converged: true)
            }
            let sy = dot(s, y)
            if sy > 1e-12 {
                // BFGS update of the inverse Hessian.
                let hy = multiply(h, y)
                let yhy = dot(y, hy)
                for i in 0..<n {
                    for j in 0..<n {
                        h[i][j] += ((sy + yhy) * s[i] * s[j]) / (sy * sy) - (hy[i] * s[j] + s[i] * hy[j]) / sy
                    }
                }
            }
        }
        return Result(point: x, value: fx, iterations: iterations, converged: false)
    }

    private func identity(_ n: Int) -> [[Double]] { (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } } }
    private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    private func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] { m.map { dot($0, v) } }
}
