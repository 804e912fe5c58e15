import Glibc
import Platform

/// Room set aside on the run folder's file system so that a run that fills
/// the disk can still end honestly: when a row cannot be written, the reserve
/// is released and the final meta.json (`failed`) and the summary of the
/// whole rows fit in the space it held.
///
/// The space belongs to an unlinked file kept open, so nothing is left in
/// the folder whatever happens to bench: the kernel frees it when the
/// descriptor closes, even after SIGKILL.
final class DiskReserve {
    private var descriptor: Int32

    /// Room for the final writes: meta.json through a temporary copy (the old
    /// one is freed only by the rename), summary.csv and fits.csv. Measured:
    /// meta.json is ~1.5 KiB plus ~0.1 KiB per cell, a summary row ~0.4 KiB;
    /// tmpfs allocates in 4 KiB pages, so each file costs at least one.
    static func bytes(cells: Int) -> Int {
        16 * 1024 + 1024 * cells
    }

    /// Allocates `bytes` in `folder`; throws when the disk does not have them,
    /// before anything is measured.
    init(in folder: String, bytes: Int) throws(BenchError) {
        // O_TMPFILE: a file with no name at all, so nothing can be left in the folder.
        // File systems without it get a named file, unlinked at once.
        var fd = open(folder, Self.temporaryFile | O_RDWR | O_CLOEXEC, 0o600)
        if fd < 0 {
            let path = folder + "/.reserve-\(getpid())"
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw BenchError.io("cannot create \(path)", errno: errno) }
            unlink(path)
        }
        let code = posix_fallocate(fd, 0, off_t(bytes))
        guard code == 0 else {
            close(fd)
            throw BenchError.io(
                "cannot set aside \(bytes / 1024) KiB in \(folder) for the run's summary", errno: code)
        }
        descriptor = fd
    }

    deinit {
        release()
    }

    /// Linux's O_TMPFILE (`__O_TMPFILE | O_DIRECTORY`), which Glibc's Swift module does not export.
    private static let temporaryFile: Int32 = 0o20000000 | O_DIRECTORY

    /// Gives the space back; safe to call more than once.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
