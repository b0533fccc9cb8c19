import Extraction
import Testing
import VisionEncoding

@Suite struct ExtractionErrorTests {
    @Test func messagesNameThePathOrSettingAndWhatToDo() {
        let cases: [(ExtractionError, [String])] = [
            (.inputNotFound(path: "/v/a.mp4"), ["/v/a.mp4", "Check the path"]),
            (.noVideos(path: "/v"), ["/v", "mp4"]),
            (
                .duplicateVideoID(videoID: "a", paths: ["/v/a.mp4", "/w/a.avi"]),
                ["a.npz", "rename"]
            ),
            (.invalidShard(source: "--shard", value: "4/4"), ["--shard", "4/4", "0 ≤ i < n"]),
            (
                .invalidSetting(name: "--clip-seconds", value: "0", expected: "a positive number"),
                ["--clip-seconds", "positive"]
            ),
            (.cannotWrite(path: "/out", reason: "No space left"), ["/out", "free space"]),
            (.unreadableFile(path: "/v/b.mp4", reason: "denied"), ["/v/b.mp4", "permissions"]),
            (.model(.directoryNotFound(path: "/models/clip")), ["/models/clip"]),
        ]
        for (error, parts) in cases {
            for part in parts { #expect(error.description.contains(part), "\(error)") }
        }
    }
}
