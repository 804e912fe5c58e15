/// A model that checks what it needs before anything is measured (the
/// Python models: an interpreter and the driver), so that a missing one is
/// one clear error up front, and says what it found for meta.json.
public protocol PreparingModel {
    /// Throws a `ReportableError` saying how to get what is missing; returns
    /// the meta.json note under its key (e.g. `python`).
    func prepare() throws -> (key: String, note: JSONValue)
    /// What it learned while the samples ran, for meta.json under the same
    /// key when the run ends (the distributed model's workers and
    /// redeliveries); nil: nothing more than `prepare` said.
    func closingNote() -> (key: String, note: JSONValue)?
}

extension PreparingModel {
    public func closingNote() -> (key: String, note: JSONValue)? { nil }
}

extension PythonDriverModel: PreparingModel {
    public func prepare() throws -> (key: String, note: JSONValue) {
        ("python", try runtime.metadata())
    }

    /// The same note, with the `gil_enabled` values the samples' drivers
    /// reported (an extension module may turn a free-threaded build's GIL
    /// back on after the probe said it was off).
    public func closingNote() -> (key: String, note: JSONValue)? {
        (try? runtime.metadata(samples: runtime.labels)).map { ("python", $0) }
    }
}
