/// Erlang B (M/M/N/N, blocked calls cleared) and its inverses, numerically stable for thousands of channels.
///
/// B(N, A) = (Aᴺ/N!) / Σₖ₌₀..ₙ Aᵏ/k! is computed with the recurrence B(0) = 1,
/// B(n) = A·B(n−1) / (n + A·B(n−1)), which never overflows (the direct formula does past 170 channels).
public enum ErlangB {
    /// Blocking probability with `channels` channels and `traffic` Erlangs offered.
    ///
    /// - Complexity: O(channels).
    public static func blocking(channels: Int, traffic: Double) -> Double {
        precondition(channels >= 0 && traffic >= 0)
        if traffic == 0 { return channels == 0 ? 1 : 0 }
        var b = 1.0
        if channels == 0 { return 1 }
        for n in 1...channels { b = traffic * b / (Double(n) + traffic * b) }
        return b
    }

    /// The fewest channels whose blocking is at most `gos` for `traffic` Erlangs offered.
    ///
    /// - Complexity: O(result): one pass of the recurrence, stopping at the first channel count that meets the goal.
    public static func channels(traffic: Double, gos: Double) -> Int {
        precondition(gos > 0 && gos < 1 && traffic >= 0)
        if traffic == 0 { return 0 }
        var b = 1.0
        var n = 0
        while b > gos {
            n += 1
            b = traffic * b / (Double(n) + traffic * b)
        }
        return n
    }

    /// The most traffic (Erlangs) `channels` channels carry with blocking at most `gos`, by bisection to 1e-12.
    public static func maxTraffic(channels: Int, gos: Double) -> Double {
        precondition(channels >= 0 && gos > 0 && gos < 1)
        if channels == 0 { return 0 }
        var lo = 0.0
        var hi = Double(channels) * 3 + 10
        while hi - lo > 1e-12 * max(1, hi) {
            let mid = (lo + hi) / 2
            if blocking(channels: channels, traffic: mid) > gos { hi = mid } else { lo = mid }
        }
        return lo
    }

    /// Extended Erlang B: a share `retry` of blocked callers tries again, which adds to the offered traffic.
    ///
    /// Iterates E₀ = A₀, Eₖ₊₁ = A₀ + R·Eₖ·B(N, Eₖ) to a fixed point (1e-12).
    /// - Returns: the blocking probability and the total offered traffic including retries.
    public static func extended(channels: Int, traffic: Double, retry: Double) -> (blocking: Double, offered: Double) {
        precondition(retry >= 0 && retry <= 1)
        var a = traffic
        for _ in 0..<100_000 {
            let next = traffic + retry * a * blocking(channels: channels, traffic: a)
            if abs(next - a) < 1e-12 {
                a = next
                break
            }
            a = next
        }
        return (blocking(channels: channels, traffic: a), a)
    }

    /// The fewest channels for `gos` under Extended Erlang B with retries.
    public static func extendedChannels(traffic: Double, gos: Double, retry: Double) -> Int {
        var n = max(0, channels(traffic: traffic, gos: gos) - 1)
        while extended(channels: n, traffic: traffic, retry: retry).blocking > gos { n += 1 }
        return n
    }

    /// The most traffic for `channels` and `gos` under Extended Erlang B (bisection on the fresh traffic).
    public static func extendedMaxTraffic(channels: Int, gos: Double, retry: Double) -> Double {
        if channels == 0 { return 0 }
        var lo = 0.0
        var hi = Double(channels) * 3 + 10
        while hi - lo > 1e-10 * max(1, hi) {
            let mid = (lo + hi) / 2
            if extended(channels: channels, traffic: mid, retry: retry).blocking > gos { hi = mid } else { lo = mid }
        }
        return lo
    }
}
