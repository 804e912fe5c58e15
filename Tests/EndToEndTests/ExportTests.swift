import Foundation
import Glibc
import Testing
import TestSupport

/// `--export-json` / `--export-markdown` never replace what is not theirs,
/// write through to devices and FIFOs, fail loudly when a write fails, and
/// refuse an unusable target before anything is measured.
@Suite("exports", .serialized)
struct ExportTests {
    static let quickRun = ["run", "--workload", "noop", "--model", "serial", "--tasks", "5", "--runs", "1", "--warmup", "0", "--no-plot"]

    static func fileType(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    /// Whether `folder` holds a run folder: nothing was measured when it does not.
    static func measured(in folder: URL) -> Bool {
        RunFolders.first(in: folder) != nil
    }

    /// A character device of the test's own, in `folder`: `/dev/full` or
    /// `/dev/null`'s twin (mknod, as root), so that an export that replaced
    /// devices would replace this one, never the machine's. Without root, a
    /// link to the real one (written through the same way; replacing it would
    /// replace the link only).
    static func privateDevice(_ name: String, minor: UInt32, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        if geteuid() == 0 {
            try #require(mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | minor)) == 0, "mknod: \(String(cString: strerror(errno)))")
        } else {
            try #require(symlink("/dev/\(name)", path) == 0)
        }
        return path
    }

    /// The type of what `path` names, following a link (the no-root fallback).
    static func targetType(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    @Test func aFullDeviceIsAnErrorAndStaysADevice() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let full = try Self.privateDevice("full", minor: 7, in: folder.url)
        let out = folder.url.appendingPathComponent("results").path
        let result = try BenchBinary.run(Self.quickRun + ["--out", out, "--export-json", full])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("cannot write --export-json to \(full): No space left on device"), "\(result.standardError)")
        #expect(Self.targetType(full) == S_IFCHR)
        // A null device takes it and stays what it is.
        let null = try Self.privateDevice("null", minor: 3, in: folder.url)
        let written = try BenchBinary.run(Self.quickRun + ["--out", out, "--export-markdown", null])
        #expect(written.status == 0, "\(written.standardError)")
        #expect(Self.targetType(null) == S_IFCHR)
    }

    @Test func aFIFOIsWrittenThroughToItsReader() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let fifo = folder.url.appendingPathComponent("export.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Bounded: a FIFO replaced by a file would leave its reader waiting for a writer forever.
        let reader = try Spawned(URL(fileURLWithPath: "/usr/bin/timeout"), ["20", "cat", fifo], pipeOutput: true)
        let result = try BenchBinary.run(Self.quickRun + ["--out", folder.url.path, "--export-json", fifo])
        let received = readToEnd(reader.output!)
        _ = reader.wait()
        #expect(result.status == 0, "\(result.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(received)) as? [String: Any]
        #expect(json?["summary"] != nil, "the reader got \(received.count) bytes")
        #expect(Self.fileType(fifo) == S_IFIFO)
    }

    /// A reader that went away is EPIPE: exit 1, not a silent success with the export lost.
    @Test func aStandardOutputWhoseReaderLeftIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.runProgram(URL(fileURLWithPath: "/bin/bash"), arguments: [
            "-c", "\"$0\" \"$@\" | true; exit ${PIPESTATUS[0]}", BenchBinary.url.path,
        ] + Self.quickRun + ["--out", folder.url.path, "--export-json", "-"])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("cannot write --export-json to standard output: Broken pipe"), "\(result.standardError)")
    }

    @Test func aSymbolicLinkIsRefusedBeforeMeasuringAndKept() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = folder.url.appendingPathComponent("target.json").path
        let link = folder.url.appendingPathComponent("link.json").path
        try "mine\n".write(toFile: target, atomically: false, encoding: .utf8)
        #expect(symlink("target.json", link) == 0)
        let out = folder.url.appendingPathComponent("results")
        let result = try BenchBinary.run(Self.quickRun + ["--out", out.path, "--export-json", link])
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains("--export-json \(link) is a symbolic link"), "\(result.standardError)")
        #expect(Self.fileType(link) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "mine\n")
        #expect(!Self.measured(in: out))
    }

    @Test func aClosedStandardOutputIsRefusedForDash() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.runProgram(URL(fileURLWithPath: "/bin/sh"), arguments: [
            "-c", "exec \"$0\" \"$@\" >&-", BenchBinary.url.path,
        ] + Self.quickRun + ["--out", folder.url.path, "--export-json", "-"])
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains("--export-json -: standard output is closed"), "\(result.standardError)")
        #expect(!Self.measured(in: folder.url))
    }

    /// The temporary file beside the export is made with O_EXCL under a name
    /// nobody can guess: links planted at `NAME.tmp-<pid>` for the next pids
    /// (the old, predictable name) lead nowhere.
    @Test func plantedLinksAtPredictableTemporaryNamesAreNeverFollowed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let victim = folder.url.appendingPathComponent("victim").path
        try "untouched\n".write(toFile: victim, atomically: false, encoding: .utf8)
        let next = Int((try String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        for pid in next + 1...next + 400 {
            _ = symlink(victim, folder.url.appendingPathComponent("exp.json.tmp-\(pid)").path)
        }
        let export = folder.url.appendingPathComponent("exp.json").path
        let result = try BenchBinary.run(Self.quickRun + ["--out", folder.url.appendingPathComponent("results").path, "--export-json", export])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched\n")
        #expect(Self.fileType(export) == S_IFREG)
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
    func anUnwritableExportIsUsageBeforeMeasuring() throws {
        let disk = try ScratchMount(kilobytes: 64, options: ["ro"])
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for flag in ["--export-json", "--export-markdown"] {
            let result = try BenchBinary.run(Self.quickRun + ["--out", folder.url.path, flag, disk.url.appendingPathComponent("x").path])
            #expect(result.status == 64, "\(result.standardError)")
            #expect(result.standardError.contains("error: \(flag) \(disk.url.path)/x cannot be written (cannot create a file in \(disk.url.path): Read-only file system)"), "\(result.standardError)")
            #expect(!Self.measured(in: folder.url))
        }
    }
}
