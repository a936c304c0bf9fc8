import ArgumentParser
import CDRAnalysis
import Foundation

struct ErlangCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erlang",
        abstract: "Erlang B calculator for what-if questions about trunk sizing.",
        discussion: """
            Give two of --channels, --traffic (offered Erlangs) and --gos (blocking probability); cdrscan computes \
            the third. --retry R uses Extended Erlang B, where a share R of blocked callers tries again.

            Examples:
              cdrscan erlang --channels 30 --traffic 20          # blocking probability
              cdrscan erlang --traffic 20 --gos 0.01             # channels needed (30)
              cdrscan erlang --channels 23 --gos 0.01            # most traffic 23 channels carry (14.47 E)
              cdrscan erlang --traffic 5.5 --gos 0.03 --retry 0.5 --json
            """
    )

    @Option(help: "Number of channels (trunk lines).")
    var channels: Int?

    @Option(help: "Offered traffic in Erlangs (busy-hour call-seconds / 3600).")
    var traffic: Double?

    @Option(help: "Grade of service: the blocking probability, e.g. 0.01.")
    var gos: Double?

    @Option(help: "Share of blocked callers who retry (Extended Erlang B), 0...1.")
    var retry: Double?

    @Flag(help: "Print inputs and result as JSON numbers.")
    var json = false

    struct Output: Encodable {
        var channels: Int?
        var traffic: Double?
        var gos: Double?
        var retry: Double?
        var blocking: Double?
        var offeredWithRetries: Double?
        var channelsNeeded: Int?
        var maxTraffic: Double?
    }

    func validate() throws {
        let given = [channels != nil, traffic != nil, gos != nil].filter { $0 }.count
        guard given == 2 else {
            throw ValidationError("Give exactly two of --channels, --traffic and --gos.")
        }
        if let channels, channels < 0 || channels > 1_000_000 {
            throw ValidationError("--channels must be 0...1000000.")
        }
        if let traffic, traffic < 0 || !traffic.isFinite {
            throw ValidationError("--traffic must be a non-negative number.")
        }
        if let gos, !(gos > 0 && gos < 1) { throw ValidationError("--gos must be between 0 and 1, e.g. 0.01.") }
        if let retry, !(0...1).contains(retry) { throw ValidationError("--retry must be between 0 and 1.") }
    }

    func run() throws {
        var out = Output(channels: channels, traffic: traffic, gos: gos, retry: retry)
        var text = ""
        if let n = channels, let a = traffic {
            if let r = retry {
                let (b, offered) = ErlangB.extended(channels: n, traffic: a, retry: r)
                out.blocking = b
                out.offeredWithRetries = offered
                text =
                    "blocking \(Self.probability(b)) with \(n) channels and \(Self.erlangs(a)) offered, \(Self.erlangs(offered)) "
                    + "including retries (retry \(r))"
            } else {
                let b = ErlangB.blocking(channels: n, traffic: a)
                out.blocking = b
                text = "blocking \(Self.probability(b)) with \(n) channels and \(Self.erlangs(a)) offered"
            }
        } else if let a = traffic, let g = gos {
            let n =
                retry.map { ErlangB.extendedChannels(traffic: a, gos: g, retry: $0) }
                ?? ErlangB.channels(traffic: a, gos: g)
            out.channelsNeeded = n
            text =
                "\(n) channels needed for \(Self.erlangs(a)) offered at \(Self.percent(g)) blocking"
                + (retry.map { " (retry \($0))" } ?? "")
        } else if let n = channels, let g = gos {
            let a =
                retry.map { ErlangB.extendedMaxTraffic(channels: n, gos: g, retry: $0) }
                ?? ErlangB.maxTraffic(channels: n, gos: g)
            out.maxTraffic = a
            text =
                "\(n) channels carry at most \(Self.erlangs(a)) offered at \(Self.percent(g)) blocking"
                + (retry.map { " (retry \($0))" } ?? "")
        }
        print(json ? try jsonString(out) : text)
    }

    /// Traffic as people read it: `14.47 E` (the JSON output keeps every digit).
    static func erlangs(_ a: Double) -> String { String(format: "%.2f E", a) }

    /// A grade of service as given: `1%`, `0.5%`.
    static func percent(_ g: Double) -> String { String(format: "%g%%", g * 100) }

    /// A blocking probability with four significant digits and as a percentage: `0.008457 (0.85%)`.
    static func probability(_ b: Double) -> String {
        b > 0 && b < 0.0001 ? String(format: "%.3e (%.2e%%)", b, b * 100) : String(format: "%.4g (%.2f%%)", b, b * 100)
    }
}
