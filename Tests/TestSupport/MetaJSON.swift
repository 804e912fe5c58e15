import Foundation
import Testing

/// A run folder's meta.json, read back as the JSON object bench wrote.
public enum MetaJSON {
    /// The top-level object of `runFolder`/meta.json; a file that is not a
    /// JSON object fails the calling test (and a missing one throws).
    public static func read(runFolder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let data = try Data(contentsOf: runFolder.appendingPathComponent("meta.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
    }
}
