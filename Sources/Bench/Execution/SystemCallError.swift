import Glibc

/// A system call that failed where no caller can do better than report it.
struct SystemCallError: Error, CustomStringConvertible {
    let what: String
    let code: Int32

    init(_ what: String, errno code: Int32) {
        self.what = what
        self.code = code
    }

    var description: String {
        "\(what): \(String(cString: strerror(code))) — check the process and file limits (ulimit -u, ulimit -n)"
    }
}
