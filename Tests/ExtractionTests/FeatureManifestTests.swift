import Dispatch
import Extraction
import Foundation
import TestSupport
import Testing

@Suite struct FeatureManifestTests {
    @Test func noManifestIsNoEntries() throws {
        let directory = try TemporaryDirectory(label: "manifest")
        #expect(try FeatureManifest.entries(at: FeatureManifest.url(in: directory.url)).isEmpty)
    }

    @Test func theLastLineOfAVideoCountsAndACutLineIsSkipped() throws {
        let directory = try TemporaryDirectory(label: "manifest")
        let url = FeatureManifest.url(in: directory.url)
        var first = ManifestEntryTests.entry
        try FeatureManifest.append(first, to: url)
        first.clips = 6
        try FeatureManifest.append(first, to: url)
        // A line cut short by a crash, then a later complete one.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"video_id": "cut", "file"#.utf8))
        try handle.close()
        var other = ManifestEntryTests.entry
        other.videoID = "other"
        try FeatureManifest.append(other, to: url)
        let entries = try FeatureManifest.entries(at: url)
        #expect(entries.keys.sorted() == ["bikes", "other"])
        #expect(entries["bikes"]?.clips == 6)
    }

    @Test func linesAppendedConcurrentlyStayWhole() throws {
        let directory = try TemporaryDirectory(label: "manifest")
        let url = FeatureManifest.url(in: directory.url)
        let count = 200
        let failures = NSLock()
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: count) { index in
            var entry = ManifestEntryTests.entry
            entry.videoID = "video\(index)"
            // Long lines: a torn write would show as an unparsable line.
            entry.decoder = String(repeating: "x", count: 3000)
            do {
                try FeatureManifest.append(entry, to: url)
            } catch {
                failures.lock()
                errors.append("\(error)")
                failures.unlock()
            }
        }
        #expect(errors.isEmpty)
        let entries = try FeatureManifest.entries(at: url)
        #expect(entries.count == count)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == count)
    }

    @Test func anUnwritableManifestIsAnErrorNamingIt() {
        let url = URL(fileURLWithPath: "/nonexistent-folder/manifest.jsonl")
        #expect {
            try FeatureManifest.append(ManifestEntryTests.entry, to: url)
        } throws: { "\($0)".contains("/nonexistent-folder/manifest.jsonl") }
    }
}
