import Foundation

/// Locations the tests read from, and scratch directories they write to.
enum TestData {
    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project's shared directory: `$VTG_SHARED_DIR`, else `<repository>/../shared`.
    static let sharedDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["VTG_SHARED_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// The real annotation files (`shared/data`, described in `shared/data/SOURCES.md`).
    static let sharedData = sharedDirectory.appendingPathComponent("data")

    /// `shared/data/<relative>`.
    static func shared(_ relative: String) -> URL {
        sharedData.appendingPathComponent(relative)
    }

    /// The checked-in feature fixtures (written by Scripts/make_feature_fixtures.py).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A new empty directory under the system's temporary directory.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("promptvtg-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `directory/name` and returns the file's URL.
    @discardableResult
    static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}
