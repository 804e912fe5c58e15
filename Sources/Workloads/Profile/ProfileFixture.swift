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

    private init(picoseconds: Int, server: (any WorkloadFixture)?, serverURL: String) {
        self.picoseconds = picoseconds
        self.server = server
        self.serverURL = serverURL
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
        "profile: \(picoseconds) ps per xor step" + (server?.note.map { "; its --wait http server \($0)" } ?? "")
    }

    static let declaration = FixtureDeclaration(keyParameters: ["iteration-ps", "wait", "wait-ms", "wait-url"]) { values in
        let given = values.number("iteration-ps")
        let picoseconds = given > 0 ? given : XorRoundTrip.measuredPicoseconds
        guard values.text("wait") == ProfileWorkload.Wait.http.rawValue else {
            return ProfileFixture(picoseconds: picoseconds, server: nil, serverURL: "")
        }
        let server = try HTTPServerFixture.declaration.start(ParameterValues([
            "http-latency-ms": .number(values.number("wait-ms")), "http-bytes": .number(ProfileWorkload.httpBodyBytes),
            "http-url": .text(values.text("wait-url")), "http-client": .text(HTTPWorkload.AsyncClient.native.rawValue),
        ]))
        let url = server.resolve(ParameterValues()).text("http-url")
        return ProfileFixture(picoseconds: picoseconds, server: server, serverURL: url)
    }
}
