import Foundation

/// Locates the `shared/` folder (golden files, real annotations) that sits beside the repository:
/// CI clones the repository next to it. The environment variable `VTG_SHARED_DIR` overrides the
/// location.
public enum SharedDirectory {
    /// The repository root: three levels above this file (`Sources/TestSupport/SharedDirectory.swift`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared folder: `$VTG_SHARED_DIR` when set, else `../shared` from the repository root.
    public static var url: URL {
        if let override = ProcessInfo.processInfo.environment["VTG_SHARED_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return repositoryRoot.deletingLastPathComponent()
            .appendingPathComponent("shared", isDirectory: true)
    }

    /// The location of `relativePath` inside the shared folder (for instance
    /// `golden/minilm_golden.json`).
    public static func file(_ relativePath: String) -> URL {
        url.appendingPathComponent(relativePath)
    }
}
