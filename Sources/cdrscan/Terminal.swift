import ArgumentParser
import CDRIngest
import CDROutput
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error as the CLI uses it: plain log lines and, on a terminal, one progress line that log lines
/// clear before they are written.
final class StandardError: @unchecked Sendable {
    static let shared = StandardError()
    let isTerminal = isatty(2) == 1
    private let lock = NSLock()
    private var progressShown = false

    func write(line: String) {
        lock.lock()
        defer { lock.unlock() }
        var text = progressShown ? "\r\u{1B}[K" : ""
        progressShown = false
        text += line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    func progress(_ line: String) {
        guard isTerminal else { return }
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        progressShown = true
    }

    func endProgress() {
        lock.lock()
        defer { lock.unlock() }
        if progressShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        progressShown = false
    }
}

/// swift-log handler that writes `TIME LEVEL cdrscan: message key=value` lines to standard error.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let time = ISO8601DateFormatter().string(from: Date())
        StandardError.shared.write(line: "\(time) \(event.level) \(label): \(terminalSafe("\(event.message)"))\(extra)")
    }
}

/// Log options shared by the commands that log.
struct LogOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "More log lines: -v for the run's steps, -vv for debugging.")
    var verbose: Int

    @Flag(name: .shortAndLong, help: "Only errors on standard error.")
    var quiet = false

    /// Warnings and errors by default (quiet under cron); the steps as well on a terminal or with -v.
    var level: Logger.Level {
        if quiet { return .error }
        if verbose >= 2 { return .debug }
        if verbose == 1 || StandardError.shared.isTerminal { return .info }
        return .warning
    }

    func logger() -> Logger {
        let level = self.level
        return Logger(label: "cdrscan") { label in StandardErrorLogHandler(label: label, logLevel: level) }
    }
}

/// A progress line for ingest: files, bytes, calls per second and the time left, drawn at most 10 times a second.
final class ProgressLine: @unchecked Sendable {
    private let started = Date()
    private var last = Date.distantPast

    func update(_ p: IngestProgress) {
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.1 else { return }
        last = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let share = p.totalBytes > 0 ? min(1, Double(p.bytesDone) / Double(p.totalBytes)) : 0
        let width = 24
        let filled = Int(share * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var eta = ""
        if share > 0.01 && share < 1 {
            let left = Int(elapsed / share * (1 - share))
            eta = String(format: " ETA %d:%02d", left / 60, left % 60)
        }
        StandardError.shared.progress(
            String(
                format: "[%@] %3.0f%%  files %d/%d  %.1f/%.1f MB  %.0f calls/s%@",
                bar,
                share * 100,
                p.filesDone,
                p.files,
                Double(p.bytesDone) / 1e6,
                Double(p.totalBytes) / 1e6,
                Double(p.calls) / elapsed,
                eta
            )
        )
    }

    func finish() { StandardError.shared.endProgress() }
}
