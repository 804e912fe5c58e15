import Glibc

/// Makes a worker exit as soon as its parent is gone, even in the middle of
/// a long task, when no thread is reading the input pipe.
///
/// A thread polls the input pipe for no event at all: `poll` still reports
/// POLLHUP, and only when every write end is closed, which happens when the
/// parent dies (even by SIGKILL) or closes the pipe to stop the worker. The
/// data itself is left to the readers. This covers what `prctl(PR_SET_PDEATHSIG)`
/// would (which Swift cannot call: `prctl` is variadic), without its catch of
/// firing when the spawning *thread* ends rather than the parent process.
enum ParentWatch {
    static func start(fd: Int32) throws {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 64 * 1024)
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        let context = UnsafeMutableRawPointer(bitPattern: Int(fd) + 1)
        let status = pthread_create(&thread, &attributes, { raw in
            let fd = Int32(Int(bitPattern: raw) - 1)
            var watched = pollfd(fd: fd, events: 0, revents: 0)
            while true {
                let count = poll(&watched, 1, -1)
                if count > 0 && watched.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                    _exit(PoolWorker.parentGoneStatus)
                }
            }
        }, context)
        guard status == 0 else {
            throw PoolError.system("cannot start the worker's parent watch", errno: status)
        }
        pthread_detach(thread)
    }
}
