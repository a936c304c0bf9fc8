import Foundation

/// Converts between UTC instants and wall-clock times of one IANA time zone, fast and with explicit DST rules.
///
/// Offsets come from the system tz database (Foundation's `TimeZone`, which reads `/usr/share/zoneinfo`)
/// and are cached per quarter hour, so converting millions of timestamps costs a few table look-ups each. The
/// caches are written by every conversion, so a resolver is one thread's: each thread that converts times makes
/// its own (a pipeline's reading thread, each part of a file read in parts; the detectors get zone names).
///
/// ## Local times that do not map to exactly one instant
/// - **Ambiguous** (a *fold*, when clocks go back): the **first** occurrence is taken, the instant before the
///   change (New York 2025-11-02 01:30 → 05:30Z). Same as Python's `fold=0` and Foundation's default.
/// - **Non-existent** (a *gap*, when clocks go forward): the time is read with the offset in force **before**
///   the change, which shifts it forward by the gap (New York 2025-03-09 02:30 → 07:30Z = 03:30 EDT).
/// Both cases are reported through ``Resolution`` so that ingest can count them.
///
/// ## A change inside a quarter hour
/// Since 2000 every change of offset but a few fell on a quarter hour, on both clocks. The exceptions changed a
/// minute past: Newfoundland (`America/St_Johns`, until 2011), New Brunswick and Labrador (`America/Moncton`,
/// `America/Goose_Bay`), Gaza and Hebron (2010-2011) and Casey station (2020-2022). A quarter hour that holds a
/// change is marked when it is first met, and each time in it is then converted on its own (the tz database
/// asked directly), so such a quarter hour costs that look-up every time and every other one a table look-up.
public final class ZoneResolver {
    /// How a local time was resolved.
    public enum Resolution: UInt8, Sendable {
        case exact, ambiguous, nonexistent
    }

    /// The IANA identifier, e.g. `Europe/Berlin`.
    public let identifier: String
    private let zone: TimeZone

    /// A cached UTC quarter hour and its offset (``split`` when the offset changes inside it).
    private struct UTCSlot {
        var key: Int64 = .min
        var offset: Int32 = 0
    }

    /// A cached local quarter hour: its offset, the later one of a fold, and how it resolved.
    private struct LocalSlot {
        var key: Int64 = .min
        var offset: Int32 = 0
        var later: Int32 = 0
        var kind: UInt8 = 0
    }

    /// The caches, 4,096 quarter hours each, in memory of their own: through arrays in the class every look-up paid
    /// the runtime's exclusive-access check and reference counting (reading local times was a fifth of the
    /// reading thread's time for FreeSWITCH's default template), through `let` pointers it is a load.
    private let utcSlots: UnsafeMutablePointer<UTCSlot>
    private let localSlots: UnsafeMutablePointer<LocalSlot>
    private static let slots = 4096
    /// A UTC slot's offset when its quarter hour holds a change (no zone's offset is near it).
    private static let split = Int32.min
    /// A local slot's kind when its quarter hour holds a change (no ``Resolution`` has it).
    private static let splitKind: UInt8 = 0xFF

    /// Creates a resolver, or nil when the zone is unknown to the tz database.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.zone = zone
        utcSlots = .allocate(capacity: Self.slots)
        utcSlots.initialize(repeating: UTCSlot(), count: Self.slots)
        localSlots = .allocate(capacity: Self.slots)
        localSlots.initialize(repeating: LocalSlot(), count: Self.slots)
    }

    deinit {
        utcSlots.deallocate()
        localSlots.deallocate()
    }

    /// The tz database version in use (for report metadata), e.g. `2025b`.
    public static var databaseVersion: String { TimeZone.timeZoneDataVersion }

    /// UTC offset in seconds at a UTC instant given in seconds.
    @inline(__always)
    public func offsetSeconds(atUTCSeconds s: Int64) -> Int {
        let key = CivilTime.floorDiv(s, 900)
        let slot = utcSlots + (Int(truncatingIfNeeded: key) & (Self.slots - 1))
        if slot.pointee.key == key && slot.pointee.offset != Self.split { return Int(slot.pointee.offset) }
        return offsetFilling(slot, key, s)
    }

    /// The offset at `s` in UTC quarter hour `key`, its slot filled first if it is another's.
    @inline(never)
    private func offsetFilling(_ slot: UnsafeMutablePointer<UTCSlot>, _ key: Int64, _ s: Int64) -> Int {
        if slot.pointee.key != key {
            let off = offsetUncached(key * 900)
            let split = offsetUncached(key * 900 + 899) != off
            slot.pointee = UTCSlot(key: key, offset: split ? Self.split : Int32(off))
            if !split { return off }
        }
        return offsetUncached(s)
    }

    /// Wall-clock milliseconds for a UTC instant in milliseconds.
    @inline(__always)
    public func localMs(fromUTC ms: Int64) -> Int64 {
        ms + Int64(offsetSeconds(atUTCSeconds: CivilTime.floorDiv(ms, 1000))) * 1000
    }

    /// The UTC instant (ms) of a wall-clock time (ms), and how it was resolved (see the type's discussion).
    @inline(__always)
    public func utcMs(fromLocal ms: Int64) -> (ms: Int64, resolution: Resolution) {
        let local = CivilTime.floorDiv(ms, 1000)
        let slot = filled(CivilTime.floorDiv(local, 900))
        if let kind = Resolution(rawValue: slot.pointee.kind) { return (ms - Int64(slot.pointee.offset) * 1000, kind) }
        let (off, _, kind) = resolve(localSeconds: local)
        return (ms - Int64(off) * 1000, kind)
    }

    /// For an ambiguous wall-clock time, the *second* occurrence (after the clocks went back); nil otherwise.
    public func laterUTCMs(fromLocal ms: Int64) -> Int64? {
        let local = CivilTime.floorDiv(ms, 1000)
        let slot = filled(CivilTime.floorDiv(local, 900))
        if slot.pointee.kind == Self.splitKind {
            let (_, later, kind) = resolve(localSeconds: local)
            return kind == .ambiguous ? ms - Int64(later) * 1000 : nil
        }
        guard slot.pointee.kind == Resolution.ambiguous.rawValue else { return nil }
        return ms - Int64(slot.pointee.later) * 1000
    }

    /// The cache slot of local quarter hour `key`, filled for it.
    @inline(__always)
    private func filled(_ key: Int64) -> UnsafeMutablePointer<LocalSlot> {
        let slot = localSlots + (Int(truncatingIfNeeded: key) & (Self.slots - 1))
        if slot.pointee.key != key { fill(slot, key) }
        return slot
    }

    /// Resolves the quarter hour at its first and its last second: if they differ, a change falls inside it, and
    /// the slot says so (``splitKind``).
    @inline(never)
    private func fill(_ slot: UnsafeMutablePointer<LocalSlot>, _ key: Int64) {
        let (off, later, kind) = resolve(localSeconds: key * 900)
        let last = resolve(localSeconds: key * 900 + 899)
        let split = last.0 != off || last.1 != later || last.2 != kind
        slot.pointee = LocalSlot(
            key: key,
            offset: Int32(off),
            later: Int32(later),
            kind: split ? Self.splitKind : kind.rawValue
        )
    }

    private func offsetUncached(_ utc: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
    }

    private func resolve(localSeconds l: Int64) -> (Int, Int, Resolution) {
        let before = offsetUncached(l - 86_400)
        let after = offsetUncached(l + 86_400)
        var valid: [Int] = []
        for o in Set([before, after]) where offsetUncached(l - Int64(o)) == o { valid.append(o) }
        if valid.count == 2 { return (valid.max()!, valid.min()!, .ambiguous) }  // larger offset = earlier instant
        if valid.count == 1 { return (valid[0], valid[0], .exact) }
        return (before, before, .nonexistent)
    }

    /// Abbreviation-free label for outputs, e.g. `Europe/Berlin (UTC+01:00)` at a given instant.
    public func label(atUTC ms: Int64) -> String {
        let off = offsetSeconds(atUTCSeconds: CivilTime.floorDiv(ms, 1000))
        let sign = off < 0 ? "-" : "+"
        let a = abs(off)
        let h = a / 3600
        let m = a / 60 % 60
        return "\(identifier) (UTC\(sign)\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m))"
    }
}
