import Foundation
import Testing

/// Locates the real data files the tests read that packages ship (such as CLIP's
/// `bpe_simple_vocab_16e6.txt.gz` from the PyPI wheel of open-clip-torch), put into `.test-data/`
/// at the repository root by `Scripts/fetch_test_data.sh` (which `make test` runs).
/// `VTG_TEST_DATA` overrides the folder.
public enum TestDataFolder {
    /// The folder of test data files.
    public static var url: URL {
        if let override = ProcessInfo.processInfo.environment["VTG_TEST_DATA"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return SharedDirectory.repositoryRoot.appendingPathComponent(
            ".test-data", isDirectory: true)
    }

    /// The location of `name` in the folder; records a test failure that says how to fetch the
    /// files when it is missing.
    public static func file(
        _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> URL {
        let file = url.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: file.path) {
            let message = "test data file \(file.path) is missing: run Scripts/fetch_test_data.sh"
            Issue.record(
                Comment(rawValue: message + " (make test runs it)"), sourceLocation: sourceLocation)
        }
        return file
    }
}
