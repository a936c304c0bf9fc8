import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a results file, so two runs never write it at once.
///
/// It is an advisory `flock(2)` on `RESULTS.lock`: the kernel releases it when the holder exits, however it exits,
/// so a killed run never leaves a stale lock behind. The holder writes its process id, pipeline and start time
/// into the lock file; a run that finds the lock taken quotes them.
public final class RunLock {
    public let path: String
    private let fd: Int32

    public struct Busy: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let holder: String
        public var description: String {
            "another cdrscan run holds \(path) (\(holder.isEmpty ? "holder unknown" : holder)); "
                + "try again later, or pass --wait to wait for it"
        }
    }

    /// The lock file cannot be opened or created (its directory is missing or not writable).
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "cannot create the lock file \(path): \(reason)" }
    }

    /// Takes the lock on `path`.
    ///
    /// - Parameter wait: how long to wait for a run that holds it, in seconds (0: do not wait; nil: wait as long
    ///   as it takes).
    /// - Throws: ``Busy`` when the lock is still held after `wait`; ``Unavailable`` when the lock file cannot be made.
    public init(path: String, wait: Double?, owner: String) throws {
        // The descriptor stays local until the lock is held: once every stored property is set, a throwing
        // initializer runs `deinit`, which would truncate and close a descriptor this run does not own (closed
        // here already, and perhaps reused by another thread's file by then).
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Unavailable(path: path, reason: String(cString: strerror(errno))) }
        let deadline = wait.map { Date().addingTimeInterval($0) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if let deadline, Date() >= deadline {
                let holder = Self.readHolder(fd)
                close(fd)
                throw Busy(path: path, holder: holder)
            }
            usleep(100_000)
        }
        self.path = path
        self.fd = fd
        let text = "pid \(getpid()), \(owner), since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }

    private static func readHolder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 0) }
        guard n > 0 else { return "" }
        return String(decoding: buffer.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
