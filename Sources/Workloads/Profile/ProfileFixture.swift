import Platform

/// What the `profile` workload needs around its samples: the time of one xor
/// step, measured once in bench's process and handed to every model (so
/// that every model, worker processes included, computes the same number of
/// steps), and with `--wait http` the local server, started as the `http`
/// workload's (`HTTPServerFixture`) with the wait as its latency.
final class ProfileFixture: WorkloadFixture {
    private let picoseconds: Int
    private let server: (any WorkloadFixture)?
    private let serverURL: String
    /// The cells' wait, which tells this fixture's note from its siblings'.
    private let wait: String

    private init(picoseconds: Int, server: (any WorkloadFixture)?, serverURL: String, wait: String) {
        self.picoseconds = picoseconds
        self.server = server
        self.serverURL = serverURL
        self.wait = wait
    }

    deinit {
        stop()
    }

    func resolve(_ parameters: ParameterValues) -> ParameterValues {
        var resolved = parameters
        if parameters.number("iteration-ps") == 0 { resolved["iteration-ps"] = .number(picoseconds) }
        if server != nil { resolved["wait-url"] = .text(serverURL) }
        return resolved
    }

    func stop() {
        server?.stop()
    }

    var note: String? {
        "profile, \(wait): \(picoseconds) ps per xor step" + (server?.note.map { "; the server \($0)" } ?? "")
    }

    static let declaration = FixtureDeclaration(keyParameters: ["iteration-ps", "wait", "wait-ms", "wait-url"]) { values in
        let given = values.number("iteration-ps")
        let picoseconds = given > 0 ? given : XorRoundTrip.measuredPicoseconds
        let wait = "--wait \(values.text("wait")) --wait-ms \(values.number("wait-ms"))"
        guard values.text("wait") == ProfileWorkload.Wait.http.rawValue else {
            return ProfileFixture(picoseconds: picoseconds, server: nil, serverURL: "", wait: wait)
        }
        let server = try HTTPServerFixture.declaration.start(ParameterValues([
            "http-latency-ms": .number(values.number("wait-ms")), "http-bytes": .number(ProfileWorkload.httpBodyBytes),
            "http-url": .text(values.text("wait-url")), "http-client": .text(HTTPWorkload.AsyncClient.native.rawValue),
        ]))
        let url = server.resolve(ParameterValues()).text("http-url")
        return ProfileFixture(picoseconds: picoseconds, server: server, serverURL: url, wait: wait)
    }
}
