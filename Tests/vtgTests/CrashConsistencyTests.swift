import Foundation
import Testing

/// Kills a real `vtg train` (the release binary beside the tests) at every durable write step
/// with the `VTG_FAULT_AT` hook (`WriteFaultInjection`), resumes it, and checks that the run
/// directory ends byte-identical to an uninterrupted run's (the log up to its timings).
@Suite struct CrashConsistencyTests {
    /// The package's root, from this file's path (Tests/vtgTests/...).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The `vtg` built with the tests (`swift build -c release --build-tests` builds it).
    static let binary = packageRoot.appendingPathComponent(".build/release/vtg")
    /// Log fields that measure time, which no two runs share.
    static let timingKeys: Set<String> = [
        "trainingSeconds", "evaluationSeconds", "samplesPerSecond",
    ]
    /// Files that must be byte-identical.
    static let identicalFiles = [
        "run.json", "last.safetensors", "best.safetensors", "best_metrics.json",
    ]

    /// Runs `vtg arguments` to completion; returns its exit status.
    static func vtg(_ arguments: [String], faultAt step: Int? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["VTG_FAULT_AT"] = step.map(String.init)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The log's records without their timings.
    static func logRecords(_ directory: URL) throws -> [NSDictionary] {
        let text = try String(
            contentsOf: directory.appendingPathComponent("log.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            var record = (object as? [String: Any]) ?? [:]
            for key in timingKeys { record[key] = nil }
            return record as NSDictionary
        }
    }

    @Test func aKillAtAnyWriteStepResumesToTheSameFiles() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary.path),
            "build vtg first: swift build -c release --build-tests")
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("promptvtg-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data").path
        #expect(
            try Self.vtg([
                "synth", "--layout", "charades-sta", "--videos", "12", "--feature-dim", "8",
                "--out", data,
            ]) == 0)
        let train = [
            "train", "--dataset", "charades-sta", "--annotations", data, "--features",
            data + "/features", "--epochs", "2", "--hidden-size", "16", "--fusion-layers", "1",
            "--video-layers", "0", "--batch-size", "8", "--threads", "1",
        ]
        let reference = root.appendingPathComponent("reference")
        #expect(try Self.vtg(train + ["--out", reference.path]) == 0)
        let referenceLog = try Self.logRecords(reference)

        var step = 1
        while step < 100 {
            let directory = root.appendingPathComponent("killed-at-\(step)")
            let status = try Self.vtg(train + ["--out", directory.path], faultAt: step)
            if status == 0 { break }  // the run has fewer write steps: all were tried
            #expect(status == 137, "step \(step)")
            #expect(
                try Self.vtg(train + ["--out", directory.path, "--resume"]) == 0, "step \(step)")
            for name in Self.identicalFiles {
                let expected = try Data(contentsOf: reference.appendingPathComponent(name))
                let actual = try? Data(contentsOf: directory.appendingPathComponent(name))
                #expect(actual == expected, "\(name) after a kill at write step \(step)")
            }
            #expect(try Self.logRecords(directory) == referenceLog, "log, step \(step)")
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(!names.contains { $0.contains(".tmp-") }, "step \(step): \(names)")
            try? FileManager.default.removeItem(at: directory)
            step += 1
        }
        // Two epochs: per epoch a best checkpoint (3 steps), a log line (2) and the last
        // state (3); the count proves the hook was reached at all.
        #expect(step > 10, "only \(step - 1) write steps were found")
    }
}
