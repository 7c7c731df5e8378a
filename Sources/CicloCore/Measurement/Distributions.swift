import Foundation
import RealModule

/// The distribution functions the statistics need: normal, Student t and chi-square, from the regularized incomplete
/// beta and gamma functions (continued fractions, accurate to about 1e-12).
public enum Distributions {
    /// Φ(x), the standard normal CDF.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * Double.erfc(-x / 2.0.squareRoot()) }

    /// φ(x), the standard normal density.
    public static func normalPDF(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }

    /// Φ⁻¹(p) (Acklam's rational approximation refined by one Newton step).
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0 && p < 1 else { return p == 0 ? -.infinity : p == 1 ? .infinity : .nan }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p > 1 - 0.02425 {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }

    /// P(T ≤ t) for Student's t with `df` degrees of freedom (normal when df is infinite).
    public static func studentTCDF(_ t: Double, df: Double) -> Double {
        guard df.isFinite else { return normalCDF(t) }
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedBeta(x, df / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t value with P(T ≤ t) = p.
    public static func studentTQuantile(_ p: Double, df: Double) -> Double {
        guard df.isFinite else { return normalQuantile(p) }
        var lo = -1e3, hi = 1e3
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if studentTCDF(mid, df: df) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-13 { break }
        }
        return (lo + hi) / 2
    }

    /// P(X > x) for a chi-square with `df` degrees of freedom.
    public static func chiSquareSurvival(_ x: Double, df: Double) -> Double {
        guard x > 0 else { return 1 }
        return regularizedGammaQ(df / 2, x / 2)
    }

    /// I_x(a, b), the regularized incomplete beta function.
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(Double.logGamma(a + b) - Double.logGamma(a) - Double.logGamma(b) + a * log(x) + b * log(1 - x))
        if x < (a + 1) / (a + b + 2) { return front * betaFraction(x, a, b) / a }
        return 1 - front * betaFraction(1 - x, b, a) / b
    }

    private static func betaFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }

    /// Q(a, x) = Γ(a, x) / Γ(a), the upper regularized incomplete gamma function.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x < a + 1 {
            var sum = 1 / a, term = 1 / a, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return 1 - sum * exp(-x + a * log(x) - Double.logGamma(a))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - Double.logGamma(a)) * h
    }
}
