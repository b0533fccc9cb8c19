import Foundation

/// JSON texts written to a file in a fresh temporary folder, for the configuration readers' tests.
public enum JSONFileFixture {
    /// Writes `text` as `name` in a new folder and returns what `body` reads from the file; the
    /// folder is removed afterwards.
    public static func read<Value>(
        _ text: String, name: String, _ body: (URL) throws -> Value
    ) throws -> Value {
        let directory = try TemporaryDirectory(label: "clip-json")
        let url = directory.file(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return try withExtendedLifetime(directory) { try body(url) }
    }
}
