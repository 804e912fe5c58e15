import Glibc
import Platform

/// A CSV file written row by row, each row reaching the kernel before the
/// next sample starts, so an interrupted run keeps every row it measured.
///
/// A row is written whole or not at all: it goes out in one `write`, and if
/// the disk fills in the middle of it, the file is cut back to the end of the
/// last whole row before the error is reported.
final class CSVFile {
    let path: String
    private let descriptor: Int32
    /// Bytes of whole rows written so far.
    private var length: off_t = 0

    /// Creates the file, which must not exist yet (it lives in a run folder
    /// bench has just made: nothing there is bench's to overwrite, and a link
    /// planted there is never followed), and writes its header.
    init(path: String, header: [String]) throws(BenchError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BenchError.io("cannot create \(path)", errno: errno)
        }
        try append(header)
    }

    deinit {
        close(descriptor)
    }

    func append(_ fields: [String]) throws(BenchError) {
        let bytes = Array((CSVFormat.line(fields) + "\n").utf8)
        if let code = FileDescriptor.writeAll(descriptor, bytes) {
            // Whatever part of the row reached the file goes again: no half row may look like a row.
            _ = ftruncate(descriptor, length)
            throw BenchError.io("cannot write \(path)", errno: code)
        }
        length += off_t(bytes.count)
    }
}
