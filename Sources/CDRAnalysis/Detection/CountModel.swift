import Foundation

/// Count-model tail probabilities and multiple-testing control for the statistical detectors.
public enum CountModel {
    /// P(X ≥ x) for X ~ NegBin(r, p) with pmf C(k+r−1, k)·pʳ·(1−p)ᵏ (a Gamma–Poisson predictive).
    ///
    /// Sums the upper tail directly (no 1 − CDF cancellation), so p-values down to 1e-300 are accurate.
    public static func negativeBinomialTail(x: Int, r: Double, p: Double) -> Double {
        if x <= 0 { return 1 }
        precondition(r > 0 && p > 0 && p <= 1)
        if p == 1 { return 0 }
        let q = 1 - p
        let mean = r * q / p
        func logPmf(_ k: Int) -> Double {
            lgamma(Double(k) + r) - lgamma(r) - lgamma(Double(k) + 1) + r * log(p) + Double(k) * log(q)
        }
        if Double(x) <= mean + 1 {
            // Not in the far tail: 1 − P(X < x), summed from 0.
            var term = exp(r * log(p))
            var cdf = 0.0
            for k in 0..<x {
                cdf += term
                term *= (Double(k) + r) / Double(k + 1) * q
            }
            return max(0, min(1, 1 - cdf))
        }
        var term = exp(logPmf(x))
        var sum = 0.0
        var k = x
        while term > sum * 1e-17 && k < x + 100_000 {
            sum += term
            term *= (Double(k) + r) / Double(k + 1) * q
            k += 1
        }
        return min(1, sum)
    }

    /// P(X ≥ x) for X ~ Poisson(λ).
    public static func poissonTail(x: Int, lambda: Double) -> Double {
        if x <= 0 { return 1 }
        if lambda <= 0 { return 0 }
        var term = exp(-lambda + Double(x) * log(lambda) - lgamma(Double(x) + 1))
        var sum = 0.0
        var k = x
        while term > sum * 1e-17 && k < x + 100_000 {
            sum += term
            k += 1
            term *= lambda / Double(k)
        }
        return min(1, sum)
    }

    /// Benjamini–Hochberg: the indexes of `pValues` discovered at false-discovery rate `q`, given `m` tests in
    /// all (tests not listed had p-values too large to matter).
    public static func benjaminiHochberg(_ pValues: [Double], m: Int, q: Double) -> Set<Int> {
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var cutoff = -1
        for (rank, i) in order.enumerated() where pValues[i] <= Double(rank + 1) / Double(max(m, 1)) * q {
            cutoff = rank
        }
        return cutoff < 0 ? [] : Set(order.prefix(cutoff + 1))
    }
}
