import Foundation
import TestSupport
import Testing
import VideoDecoding

/// Resident memory must stay flat while decoding: over a two-hour video, and over hundreds of
/// files opened, decoded and closed (every FFmpeg object freed).
///
/// Resident memory belongs to the whole process, and the other tests run in parallel with this
/// one, so each measurement runs in a child process: this test binary again, filtered to the one
/// test, with `VTG_MEMORY_CHILD` set. The child measures and its expectations decide its exit
/// status, which the parent checks.
@Suite struct VideoDecoderMemoryTests {
    /// Growth allowed after warm-up: a leak of one frame's FFmpeg objects (≈ 1 KB of packet
    /// and frame structures) per frame would add 36 MB over the two-hour video; a leaked
    /// 128×96 picture per frame 1.3 GB; a leaked input per file hundreds of KB.
    static let allowedGrowthBytes = 8 << 20

    @Test func twoHourVideoDecodesInFlatMemory() throws {
        try runInChildProcess("twoHourVideoDecodesInFlatMemory") {
            let decoder = try VideoDecoder(path: TestVideos.path("generated/long-2h.mp4"))
            var baseline = 0
            while let frame = try decoder.nextFrame() {
                if decoder.decodedFrameCount == 1000 { baseline = Self.residentBytes() }
                #expect(frame.width == 128)
            }
            let growth = Self.residentBytes() - baseline
            #expect(decoder.decodedFrameCount == 36_000)
            #expect(growth < Self.allowedGrowthBytes, "grew by \(growth) bytes")
        }
    }

    @Test func openingAndClosingManyFilesFreesEverything() throws {
        try runInChildProcess("openingAndClosingManyFilesFreesEverything") {
            let names = [
                "bikes.mp4", "tree.avi", "generated/numbered.webm", "generated/numbered.mpg",
                "generated/numbered-clockwise90.mp4", "generated/audio-only.m4a",
                "generated/truncated-bikes.mp4", "generated/truncated-numbered.mkv",
            ]
            let paths = names.map { TestVideos.path($0) }
            var baseline = 0
            for round in 0..<60 {
                if round == 10 { baseline = Self.residentBytes() }
                for path in paths {
                    // Ten frames, or the file's error; either way everything is closed.
                    if let decoder = try? VideoDecoder(path: path) {
                        for _ in 0..<10 { _ = try? decoder.nextFrame() }
                    }
                }
                if let sampler = try? ClipFrameSampler(path: paths[6 + round % 2]) {
                    while (try? sampler.next()) ?? nil != nil {}
                }
            }
            let growth = Self.residentBytes() - baseline
            #expect(growth < Self.allowedGrowthBytes, "grew by \(growth) bytes")
        }
    }

    /// Runs `body` when this process is the child; otherwise starts the child for the test named
    /// `testName` and expects it to pass.
    private func runInChildProcess(_ testName: String, _ body: () throws -> Void) throws {
        if ProcessInfo.processInfo.environment["VTG_MEMORY_CHILD"] == testName {
            try body()
            return
        }
        try ChildTestProcess.runExpectingSuccess(
            testName: "VideoDecoderMemoryTests/\(testName)", variable: "VTG_MEMORY_CHILD",
            value: testName)
    }

    /// This process's resident memory (VmRSS of /proc/self/status), in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}
