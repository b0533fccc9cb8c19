import Foundation

/// The real annotation files the tests read, and scratch directories they write to.
public enum TestData {
    /// The real annotation files: `shared/data` (described in `shared/data/SOURCES.md`).
    public static var sharedData: URL { SharedDirectory.file("data") }

    /// `shared/data/<relative>`.
    public static func shared(_ relative: String) -> URL {
        sharedData.appendingPathComponent(relative)
    }

    /// A new empty directory under the system's temporary directory; the caller removes it (or
    /// use ``TemporaryDirectory``, which removes itself).
    public static func makeTemporaryDirectory() throws -> URL {
        try TemporaryDirectory.create(label: "tests")
    }

    /// Writes `text` to `directory/name` and returns the file's URL.
    @discardableResult
    public static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}
