#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written beside its place (`FILE.partial`), flushed to disk and renamed over `FILE` when complete: a run
/// killed while writing leaves the earlier file of that name as it was, never half a new one. Every output file
/// cdrscan writes goes through it: reports, rejects and legs files, exports, a pipeline's calls table.
///
/// A path that exists and is not a regular file (`/dev/stdout`, `/dev/null`, a named pipe) is written directly:
/// renaming a file over it would replace the device or pipe itself (as root, `--markdown /dev/null` did). A
/// symbolic link is followed: the file it points to is replaced, and the link stays.
///
/// Errors are ``OutputFileError``s that say in one line what could not be done to which file and why (the
/// system's reason), where Foundation's file APIs gave a `NSCocoaErrorDomain` dump.
public final class AtomicFile {
    public let path: String
    /// The file being written: `path` + `.partial`, or `path` itself when it is a device or a pipe.
    public let partial: String
    private var fd: Int32
    /// `path` is written directly (``partial`` is `path`).
    private let direct: Bool

    /// Creates (or empties) `FILE.partial`, or opens `path` when it is a device or a pipe.
    public init(path: String) throws {
        self.path = Self.followingLinks(path)
        var info = stat()
        direct = stat(self.path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG && info.st_mode & S_IFMT != S_IFDIR
        partial = direct ? self.path : self.path + ".partial"
        if direct {
            fd = open(self.path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw OutputFileError(.create, partial, errno: errno) }
        } else {
            fd = try Self.take(partial)
        }
    }

    /// Opens `partial`, locked (`flock`) and empty. A second writer of the same path (another process, or another
    /// thread) waits until the first has moved its file into place or given it up, then starts a file of its own:
    /// without the lock, both wrote into one `FILE.partial` at once. The lock goes with the process, so a killed
    /// writer's partial file is simply taken over. Where the file system has no locks, it is written unlocked.
    private static func take(_ partial: String) throws -> Int32 {
        while true {
            let fd = open(partial, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            if fd < 0 { throw OutputFileError(.create, partial, errno: errno) }
            // A file system without locks (a network mount without its lock service: ENOLCK, EOPNOTSUPP) is
            // written unlocked, as before locks: better than no report.
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
            // Still the file named `partial`: the writer before may have renamed or removed it meanwhile.
            var held = stat()
            var named = stat()
            if fstat(fd, &held) == 0 && stat(partial, &named) == 0 && held.st_ino == named.st_ino
                && held.st_dev == named.st_dev
            {
                if ftruncate(fd, 0) != 0 {
                    let code = errno
                    close(fd)
                    throw OutputFileError(.create, partial, errno: code)
                }
                return fd
            }
            close(fd)
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The file a symbolic link at `path` points to (the path itself when it is no link, or a dangling one).
    static func followingLinks(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) else {
            return path
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputFileError(.write, partial, errno: errno)
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Flushes the file to disk, closes it and renames it into place.
    public func commit() throws {
        if !direct && fsync(fd) != 0 { throw OutputFileError(.write, partial, errno: errno) }
        // Renamed before it is closed: closing releases the lock, and a writer waiting for it would otherwise
        // empty this file before it reached its place.
        if !direct && rename(partial, path) != 0 { throw OutputFileError(.moveIntoPlace, path, errno: errno) }
        let closed = close(fd)
        fd = -1
        if closed != 0 { throw OutputFileError(.write, path, errno: errno) }
    }

    /// Removes the partial file and closes it (the earlier file at `path` stays as it was).
    public func discard() {
        // Removed while still locked: a writer waiting for the lock then starts a file of its own.
        if !direct && fd >= 0 { unlink(partial) }
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    /// Writes the file at `path` with `body`, then moves it into place; on any error the partial file is removed,
    /// the earlier file at `path` stays as it was, and the error is rethrown.
    public static func write(_ path: String, _ body: (AtomicFile) throws -> Void) throws {
        let file = try AtomicFile(path: path)
        do {
            try body(file)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// Writes `text` to `path` whole (``write(_:_:)``).
    public static func write(_ text: String, to path: String) throws {
        try write(path) { try $0.write(text) }
    }
}

/// The C library's `write` (inside ``AtomicFile`` the name is its own method's).
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }

/// An output file that could not be created, written or moved into place.
public struct OutputFileError: Error, CustomStringConvertible, Equatable {
    public enum Action: String, Sendable {
        case create
        case write
        case moveIntoPlace = "move into place"
    }

    public let action: Action
    public let path: String
    /// The system's reason (`strerror`).
    public let reason: String

    init(_ action: Action, _ path: String, errno code: Int32) {
        self.action = action
        self.path = path
        reason = String(cString: strerror(code))
    }

    public var description: String { "cannot \(action.rawValue) \(path): \(reason)" }
}
