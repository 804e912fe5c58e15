import Glibc

/// A CSV file written row by row, each row reaching the kernel before the
/// next run starts, so an interrupted run keeps every row it measured.
final class CSVFile {
    let path: String
    private let descriptor: Int32

    /// Creates (truncating) the file and writes its header.
    init(path: String, header: [String]) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BenchError.io("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        try append(header)
    }

    deinit {
        close(descriptor)
    }

    func append(_ fields: [String]) throws {
        let line = CSVFormat.line(fields) + "\n"
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw BenchError.io("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
