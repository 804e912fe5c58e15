import Platform

/// One accepted connection of the server, owned by the loop that accepted it.
///
/// Responses leave in request order: they wait in the loop's FIFO latency
/// queue, which keeps that order, and are appended to `output` when due.
final class ServerConnection {
    let fd: Int32
    /// Received bytes not yet parsed into a request.
    var input: [UInt8] = []
    /// Response bytes not yet written.
    var output = OutputBuffer()
    /// Responses of this connection still waiting out their latency.
    var waiting = 0
    /// About how many bytes those waiting responses will take in `output`.
    var waitingBytes = 0
    /// Reading and parsing stopped because too much output is queued
    /// (`queuedBytes` over the loop's cap): the client is not reading.
    var paused = false
    /// False once a request asked to close (or was invalid) or the peer
    /// closed its side: nothing read afterwards is answered.
    var acceptsRequests = true
    /// The peer will send no more (EOF read).
    var peerClosed = false
    /// A response saying `Connection: close` is in `output`.
    var closeWhenFlushed = false
    var isClosed = false
    /// The loop's sweep count when this connection last read a request or
    /// wrote a response: how long it has idled, in sweeps (seconds).
    var lastActiveSweep = 0
    /// The sweep count when the first byte of the head now in `input` arrived.
    var headStartSweep = 0

    init(fd: Int32, sweep: Int) {
        self.fd = fd
        lastActiveSweep = sweep
    }

    /// Response bytes parsed for this connection and not yet sent.
    var queuedBytes: Int {
        output.unsent + waitingBytes
    }

    /// Nothing more will be written on this connection once `output` is flushed.
    var isFinished: Bool {
        closeWhenFlushed || (peerClosed && waiting == 0)
    }
}
