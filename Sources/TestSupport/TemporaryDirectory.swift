import Foundation

/// A fresh, empty directory under the system's temporary folder, removed when the value is
/// deinitialised. Tests that write files each make their own, so they can run in parallel.
public final class TemporaryDirectory {
    /// The directory's location.
    public let url: URL

    /// Creates the directory; `label` appears in its name to make leftovers recognisable.
    public init(label: String = "test") throws {
        url = try Self.create(label: label)
    }

    /// Creates a new empty directory `promptvtg-LABEL-UUID` under the temporary folder.
    static func create(label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("promptvtg-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The location of `name` inside the directory.
    public func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// The names of the entries in the directory, hidden ones included, sorted.
    public func entryNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
