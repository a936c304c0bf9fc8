import Foundation
import Testing

@testable import CDRIngest

/// Output files: written beside their place and renamed into it, errors in one line, and rejects files that never
/// show an earlier run's rows as this run's.
@Suite struct AtomicFileTests {
    func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test("a file replaces the earlier one only when complete; a failed write leaves the earlier one as it was")
    func replaceOrKeep() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.md"
        try AtomicFile.write("first\n", to: path)
        #expect(text(path) == "first\n")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try AtomicFile.write(path) { file in
                try file.write("half of a new")
                throw Stop()
            }
        }
        #expect(text(path) == "first\n")
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        try AtomicFile.write(path) { file in
            try file.write("second ")
            try file.write(Array("file\n".utf8))
        }
        #expect(text(path) == "second file\n")
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test("a named pipe is written directly, not replaced by a file renamed over it")
    func pipe() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/report.fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let received = Received()
        let reader = Thread {
            let fd = open(path, O_RDONLY)
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while fd >= 0 {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            if fd >= 0 { close(fd) }
            received.text = String(decoding: bytes, as: UTF8.self)
            received.done.signal()
        }
        reader.start()
        try AtomicFile.write("# report\n", to: path)
        // A pipe replaced by a renamed file would leave the reader waiting for a writer.
        #expect(received.done.wait(timeout: .now() + 10) == .success)
        #expect(received.text == "# report\n")
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    final class Received: @unchecked Sendable {
        var text: String?
        let done = DispatchSemaphore(value: 0)
    }

    @Test("a symbolic link is followed: the file it points to is replaced, the link stays")
    func link() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/reports/night.html"
        try FileManager.default.createDirectory(atPath: dir + "/reports", withIntermediateDirectories: true)
        try AtomicFile.write("old", to: target)
        let link = dir + "/latest.html"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try AtomicFile.write("new", to: link)
        #expect(text(target) == "new")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target)
        #expect(!FileManager.default.fileExists(atPath: target + ".partial"))
    }

    @Test("two writers of one path at once: the file is one of them whole, never a mix")
    func twoWriters() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/report.md"
        let texts = ["a", "b"].map { String(repeating: "\($0)\n", count: 20_000) }
        let done = DispatchGroup()
        let failures = Received()
        for text in texts {
            done.enter()
            Thread {
                do {
                    try AtomicFile.write(path) { file in
                        // Many small writes, with pauses: without a lock the two interleave in one partial file.
                        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(20_000) {
                            try file.write(line + "\n")
                            if line.isEmpty { usleep(100) }
                        }
                        usleep(20_000)
                    }
                } catch {
                    failures.text = "\(error)"
                }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(failures.text == nil)
        #expect(texts.contains(text(path) ?? ""))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test("a file that cannot be created is a one-line error naming it and the system's reason")
    func cannotCreate() {
        let path = temporaryDirectory() + "/missing/out.csv"
        #expect {
            try AtomicFile.write("x", to: path)
        } throws: { error in
            (error as? OutputFileError)?.description
                == "cannot create \(path).partial: No such file or directory"
        }
        var rejects = RejectCollector()
        rejects.add(RejectRecord(file: "f.csv", line: 2, reason: "bad_timestamp", detail: "d", raw: "r"))
        #expect(throws: OutputFileError.self) { try rejects.write(to: path) }
    }

    @Test("a run without rejects creates no rejects file, and empties an earlier one to its header")
    func noStaleRejects() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = dir + "/good.csv"
        let bad = dir + "/bad.csv"
        let header =
            "start_utc,answer_utc,end_utc,duration_s,billsec_s,direction,caller,callee,trunk,account,site,disposition\n"
        try (header + "2026-10-05T07:02:11Z,,2026-10-05T07:02:41Z,30,0,outbound,2001,+4930123,t1,,ber,no_answer\n")
            .write(toFile: good, atomically: true, encoding: .utf8)
        try (header + "yesterday,,2026-10-05T07:02:41Z,30,0,outbound,2001,+4930123,t1,,ber,no_answer\n")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let rejects = dir + "/rejects.csv"
        _ = try IngestRun.run(paths: [good], rejectsFile: rejects)
        #expect(!FileManager.default.fileExists(atPath: rejects))
        _ = try IngestRun.run(paths: [bad], rejectsFile: rejects)
        #expect(text(rejects)?.contains("bad_timestamp") == true)
        let result = try IngestRun.run(paths: [good], rejectsFile: rejects)
        #expect(result.summary.rejected == 0)
        #expect(text(rejects) == "file,line,reason,detail,raw\n")
    }
}
