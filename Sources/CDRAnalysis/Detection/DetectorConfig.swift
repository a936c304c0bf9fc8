/// Every threshold, window and gate of the detectors, with its default and the reason for it
/// (`docs/detectors.md` repeats them). Pipelines override them by name.
public struct DetectorConfig: Sendable, Equatable {
    // toll_fraud — ClearIP's windows (5 min fast pumping, 60 min slow pumping/theft of service) and the research
    // catalogue's defaults (IRSF-FAST ≥3 risk-class attempts or score ≥ 1.0; IRSF-SLOW ≥10 or ≥ 5.0).
    public var fastWindowMinutes = 5
    public var fastAttempts = 3
    public var fastScore = 1.0
    public var midWindowMinutes = 15
    public var midAttempts = 6
    public var slowWindowMinutes = 60
    public var slowAttempts = 10
    public var slowScore = 5.0
    /// Risky calls of one source further apart than this start a new cluster (one alert per cluster).
    public var clusterGapMinutes = 90
    /// Simultaneous international/premium calls from one source (a person makes one call at a time).
    public var simultaneousCalls = 4
    /// Sequential dialing: distinct numbers in one 100-block within the window, or a run of consecutive numbers.
    public var sequentialWindowMinutes = 10
    public var sequentialDistinct = 10
    public var sequentialRun = 5
    /// A country the organization never called before, with at least this estimated cost (IRSF-NEWDEST), judged
    /// only after `noveltyHistoryDays` of history.
    public var newCountryCost = 2.0
    public var noveltyHistoryDays = 7
    /// low_and_slow: at least `lowSlowPerNight` risky calls on at least `lowSlowNights` nights within
    /// `lowSlowSpanDays` days (too few per night for the window rules).
    public var lowSlowPerNight = 3
    public var lowSlowNights = 4
    public var lowSlowSpanDays = 7

    // intl_burst — hour-of-week negative-binomial test with a peer prior (research §2.4).
    /// Benjamini–Hochberg false-discovery rate over all tests of the run.
    public var burstFDR = 0.01
    /// No alert below this many attempts in the hour (Farrington-style minimum count).
    public var burstMinCount = 5
    /// No alert below this estimated excess cost (attempts beyond expected × rate, minimum one minute each).
    public var burstMinCost = 5.0
    /// Weight of the peer prior, in hours (one week).
    public var priorHours = 168.0
    /// A burst is a multiple of the usual, not a busy hour: the hour must reach this many times its expected
    /// count (at large volumes tiny relative deviations are significant but not irregular).
    public var burstMinRatio = 3.0

    // after_hours — the site's own after-hours hour-of-week baseline.
    public var afterHoursFDR = 0.01
    public var afterHoursMinCount = 10
    /// The hour must also be at least this many times its expected count.
    public var afterHoursRatio = 5.0
    /// Other weeks of the same hour the baseline needs before the volume test speaks: with one week of history
    /// an ordinary busy evening looks like a spike (nightly runs in their first weeks).
    public var afterHoursMinWeeks = 2
    /// International, premium or high-risk calls after hours from one source in one night, even at low volume.
    public var afterHoursRiskyCalls = 3
    public var afterHoursRiskyCost = 10.0

    // wangiri — research catalogue WANGIRI-IN / WANGIRI-CALLBACK.
    public var wangiriWindowMinutes = 60
    public var wangiriAttempts = 20
    public var wangiriDistinctCalled = 10
    /// Share of attempts unanswered or answered for at most `wangiriShortSeconds`.
    public var wangiriShortShare = 0.8
    public var wangiriShortSeconds = 6.0
    /// Outbound calls to a flagged range within this many hours are callbacks.
    public var wangiriCallbackHours = 72

    /// Incidents: alerts about one subject closer than this merge into one incident.
    public var incidentGapHours = 12
    /// History used for baselines.
    public var lookbackDays = 56

    public init() {}
}
