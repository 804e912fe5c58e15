import Foundation
import Glibc

/// A small tmpfs mounted on a fresh folder, for tests of a full or read-only
/// disk. Mounting needs root (CI runs as root); `isAvailable` tells whether
/// this machine allows it, so those tests can say why they did not run.
public final class ScratchMount {
    public let folder: TemporaryFolder
    public var url: URL { folder.url }

    /// Mounts a tmpfs of `kilobytes` with extra mount `options` (e.g. "ro").
    public init(kilobytes: Int, options: [String] = []) throws {
        folder = try TemporaryFolder()
        let result = try BenchBinary.runProgram(
            URL(fileURLWithPath: "/bin/mount"),
            arguments: ["-t", "tmpfs", "-o", (["size=\(kilobytes)k"] + options).joined(separator: ","), "tmpfs", folder.url.path])
        guard result.status == 0 else {
            folder.remove()
            throw ScratchMountError(message: result.standardError)
        }
    }

    deinit {
        let unmounted = try? BenchBinary.runProgram(URL(fileURLWithPath: "/bin/umount"), arguments: [folder.url.path])
        if unmounted?.status != 0 {
            // Busy (a process still has a file open there): detach it now, the kernel frees it when unused.
            _ = try? BenchBinary.runProgram(URL(fileURLWithPath: "/bin/umount"), arguments: ["-l", folder.url.path])
        }
        folder.remove()
    }

    /// Whether a tmpfs can be mounted here at all.
    public static let isAvailable: Bool = geteuid() == 0 && (try? ScratchMount(kilobytes: 16)) != nil
}

/// Why a tmpfs could not be mounted: mount's own message.
public struct ScratchMountError: Error {
    public let message: String
}
