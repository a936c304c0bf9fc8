import CDRAnalysis
import Testing

/// Reference values: exact rational arithmetic, shared/research/detection-and-capacity.md §4.3.
@Suite struct ErlangBTests {
    static let tableA: [(Int, Double, Double)] = [
        (1, 0.01, 9.900990099e-03), (1, 0.5, 3.333333333e-01), (1, 1, 5.000000000e-01), (2, 1, 2.000000000e-01),
        (5, 1, 3.067484663e-03), (5, 2, 3.669724771e-02), (5, 5, 2.848678213e-01), (10, 2, 3.819016794e-05),
        (10, 5, 1.838457034e-02), (10, 10, 2.145823431e-01), (100, 80, 3.992028605e-03), (100, 100, 7.570045271e-02),
        (23, 10, 1.756357518e-04), (23, 15, 1.354328484e-02), (23, 23, 1.493008989e-01), (24, 15, 8.393505748e-03),
        (30, 15, 2.211801604e-04), (30, 20, 8.457498340e-03), (30, 30, 1.324597905e-01), (48, 40, 2.987651750e-02),
        (60, 40, 6.794652435e-04), (60, 50, 2.166847306e-02), (60, 60, 9.626681201e-02), (200, 180, 1.032499521e-02),
    ]

    @Test("B(N, A) matches the reference table to 1e-9 relative", arguments: tableA)
    func blocking(n: Int, a: Double, expected: Double) {
        let b = ErlangB.blocking(channels: n, traffic: a)
        #expect(abs(b - expected) / expected < 1e-9)
    }

    static let tableB: [(Int, Double, Double)] = [
        (1, 0.01, 0.010101), (2, 0.01, 0.152593), (5, 0.01, 1.360787), (10, 0.01, 4.461177), (23, 0.01, 14.470451),
        (24, 0.01, 15.295000), (30, 0.01, 20.337286), (46, 0.01, 34.322297), (48, 0.01, 36.108594),
        (60, 0.01, 46.949698), (90, 0.01, 74.684309), (100, 0.01, 84.064159), (120, 0.01, 102.963617),
        (1, 0.001, 0.001001), (10, 0.001, 3.092045), (23, 0.001, 11.524120), (24, 0.001, 12.243174),
        (30, 0.001, 16.683856), (120, 0.001, 92.964471),
    ]

    @Test("maximum traffic for N channels at a GoS (6 printed digits)", arguments: tableB)
    func maxTraffic(n: Int, gos: Double, expected: Double) {
        #expect(abs(ErlangB.maxTraffic(channels: n, gos: gos) - expected) < 5e-7)
    }

    static let tableC: [(Double, [Int])] = [
        (0.5, [3, 4, 4, 5]), (1, [4, 5, 5, 6]), (2, [6, 7, 7, 8]), (5, [10, 11, 12, 14]), (10, [17, 18, 19, 21]),
        (15, [23, 24, 26, 28]), (20, [28, 30, 32, 35]), (23, [32, 34, 35, 39]), (30, [39, 42, 44, 47]),
        (50, [61, 64, 66, 71]), (80, [92, 96, 100, 106]), (100, [113, 117, 121, 128]),
    ]

    @Test("channels needed at 2%, 1%, 0.5%, 0.1%", arguments: tableC)
    func channels(a: Double, expected: [Int]) {
        let got = [0.02, 0.01, 0.005, 0.001].map { ErlangB.channels(traffic: a, gos: $0) }
        #expect(got == expected)
    }

    static let tableD: [(Int, Double, Double, Double, Double)] = [
        (10, 5, 0.0, 0.01838457, 5.000000), (10, 5, 0.5, 0.01931164, 5.048750), (10, 8, 0.5, 0.15195213, 8.657784),
        (10, 8, 1.0, 0.23617844, 10.473650), (23, 15, 0.5, 0.01436327, 15.108504), (30, 25, 0.5, 0.06410263, 25.827815),
        (30, 25, 0.9, 0.08157946, 26.980985),
    ]

    @Test("Extended Erlang B with retries", arguments: tableD)
    func extended(n: Int, a: Double, r: Double, blocking: Double, offered: Double) {
        let (b, o) = ErlangB.extended(channels: n, traffic: a, retry: r)
        #expect(abs(b - blocking) < 5e-9)
        #expect(abs(o - offered) < 5e-7)
    }

    @Test("erlang.com cross-checks and edge cases")
    func edges() {
        #expect(abs(ErlangB.maxTraffic(channels: 15, gos: 0.01) - 8.108) < 0.0005)
        #expect(ErlangB.channels(traffic: 158.333, gos: 0.03) == 168)
        #expect(ErlangB.extendedChannels(traffic: 5.5, gos: 0.03, retry: 0.5) == 11)
        #expect(ErlangB.blocking(channels: 0, traffic: 3) == 1)
        #expect(ErlangB.blocking(channels: 5, traffic: 0) == 0)
        let big = ErlangB.blocking(channels: 5000, traffic: 4800)
        #expect(big.isFinite && big > 0 && big < 0.01)
        #expect(ErlangB.blocking(channels: 30, traffic: 21) > ErlangB.blocking(channels: 30, traffic: 20))
        #expect(ErlangB.blocking(channels: 31, traffic: 20) < ErlangB.blocking(channels: 30, traffic: 20))
    }
}
