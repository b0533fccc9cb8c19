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

    /// `shared/data/<relative>`.
    static func shared(_ relative: String) -> URL {
        sharedDirectory.appendingPathComponent("data").appendingPathComponent(relative)
    }

    /// A new empty directory under the system's temporary directory.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("promptvtg-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
