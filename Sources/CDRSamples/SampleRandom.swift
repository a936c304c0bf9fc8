import Foundation

/// A small, fast, seedable random number generator (xoshiro256**), so samples are the same on every machine.
public struct SampleRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var x = seed &+ 0x9E37_79B9_7F4A_7C15
        func splitmix() -> UInt64 {
            x = x &+ 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix()
        s1 = splitmix()
        s2 = splitmix()
        s3 = splitmix()
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in `range`.
    @inline(__always)
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Lognormal with the given median and shape.
    public mutating func lognormal(median: Double, sigma: Double) -> Double { median * exp(sigma * normal()) }

    /// Poisson-distributed count (Knuth below 30, normal approximation above).
    public mutating func poisson(_ lambda: Double) -> Int {
        if lambda <= 0 { return 0 }
        if lambda < 30 {
            let l = exp(-lambda)
            var k = 0
            var p = 1.0
            repeat {
                k += 1
                p *= uniform()
            } while p > l
            return k - 1
        }
        return max(0, Int((lambda + lambda.squareRoot() * normal()).rounded()))
    }

    /// Picks an index with the given weights.
    public mutating func pick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var r = uniform() * total
        for (i, w) in weights.enumerated() {
            r -= w
            if r < 0 { return i }
        }
        return weights.count - 1
    }
}
