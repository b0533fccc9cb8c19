import Foundation
import NeuralNet
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// A trainer that can stop after some epochs and resume (both stages' trainers).
protocol ResumableTrainer {
    associatedtype Summary
    func train(resume: Bool, epochLimit: Int?) throws -> Summary
}

extension GroundingTrainer: ResumableTrainer {}
extension VideoTextMatchingTrainer: ResumableTrainer {}

/// Trains `make("straight")` through and, in `make("interrupted")`'s directory, one epoch, then
/// the rest with a fresh trainer (as a new process would) resuming: both trainers after
/// training, with their summaries.
func trainStraightAndResumed<Trainer: ResumableTrainer>(_ make: (String) throws -> Trainer)
    throws -> (
        straight: Trainer, straightSummary: Trainer.Summary, resumed: Trainer,
        resumedSummary: Trainer.Summary
    )
{
    let straight = try make("straight")
    let straightSummary = try straight.train(resume: false, epochLimit: nil)
    _ = try make("interrupted").train(resume: false, epochLimit: 1)
    let resumed = try make("interrupted")
    return (straight, straightSummary, resumed, try resumed.train(resume: true, epochLimit: nil))
}

@Suite struct TrainingLoopTests {
    @Test func resumingPretrainingGivesTheSameWeightsAsAnUninterruptedRun() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        var run = try tinyRun(in: directory.url, epochs: 2)
        run.stage = .pretrain
        run.pretraining = PretrainingConfiguration(style: .violet)
        let runs = try trainStraightAndResumed { name in
            try VideoTextMatchingTrainer(
                run: run, directory: directory.file(name), encoder: HashedWordEncoder(),
                reporter: RecordingReporter())
        }
        #expect(
            runs.resumedSummary.epochs.map(\.trainingLoss)
                == runs.straightSummary.epochs.map(\.trainingLoss))
        #expect(
            runs.resumedSummary.epochs.map(\.heldOutLoss)
                == runs.straightSummary.epochs.map(\.heldOutLoss))
        #expect(
            snapshot(runs.resumed.network.parameters)
                == snapshot(runs.straight.network.parameters))
    }

    @Test func anEpochLoggedButNotSavedIsTrainedAndLoggedOnceMore() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let run = try tinyRun(in: directory.url, epochs: 2)
        let make = { (name: String) in
            try GroundingTrainer(
                run: run, directory: directory.file(name),
                encoder: HashedWordEncoder(), reporter: RecordingReporter())
        }
        let straight = try make("straight").train(resume: false)
        _ = try make("interrupted").train(resume: false, epochLimit: 1)
        // The second epoch's record reached the log, then the run stopped before saving.
        let log = TrainingLog<EpochRecord>(RunDirectory(directory.file("interrupted")).log)
        try log.append(straight.epochs[1])
        let resumed = try make("interrupted").train(resume: true)
        #expect(resumed.epochs.map(\.trainingLoss) == straight.epochs.map(\.trainingLoss))
        #expect(try log.records().map(\.epoch) == [0, 1])
    }

    @Test func resumingWithADamagedLogIsAnErrorNamingTheLine() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let (run, url) = try trainedTinyRun(in: directory.url, epochs: 2, epochLimit: 1)
        let logURL = RunDirectory(url).log
        try Data("{\"epoch\": 0}\n".utf8).write(to: logURL)
        let error = #expect(throws: TrainingLogError.self) {
            try GroundingTrainer(
                run: run, directory: url, encoder: HashedWordEncoder(),
                reporter: RecordingReporter()
            ).train(resume: true)
        }
        guard case .undecodableLine(let path, 1, _) = error else {
            Issue.record("expected line 1 of the log, got \(String(describing: error))")
            return
        }
        #expect(path == logURL.path)
        // Without the log, resuming is refused too (never an empty history).
        try FileManager.default.removeItem(at: logURL)
        #expect(throws: TrainingLogError.self) {
            try GroundingTrainer(
                run: run, directory: url, encoder: HashedWordEncoder(),
                reporter: RecordingReporter()
            ).train(resume: true)
        }
    }

    @Test func bothStagesReportTypedEventsInOrder() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        var run = try tinyRun(in: directory.url, epochs: 2)
        let reporter = RecordingReporter()
        let url = directory.file("ground")
        _ = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: reporter
        ).train(resume: false, epochLimit: 1)
        _ = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: reporter
        ).train(resume: true)
        #expect(reporter.tasks == ["text states", "epoch 1/2", "text states", "epoch 2/2"])
        let kinds = reporter.events.map { event -> String in
            switch event {
            case .parameters: return "parameters"
            case .data(let data): return "data \(data.momentContextFraction == nil)"
            case .resumed(let epoch, let total): return "resumed \(epoch)/\(total)"
            case .epochFinished(let record, let total, let metric):
                return "epoch \(record.epoch)/\(total) \(metric)"
            default: return "other"
            }
        }
        #expect(
            kinds == [
                "parameters", "data true", "epoch 0/2 R1@0.5",
                "parameters", "data true", "resumed 1/2", "epoch 1/2 R1@0.5",
            ])

        run.stage = .pretrain
        run.pretraining = PretrainingConfiguration(style: .allinone, contextFraction: 0.2)
        run.training.epochs = 1
        let pretraining = RecordingReporter()
        _ = try VideoTextMatchingTrainer(
            run: run, directory: directory.file("pretrain"),
            encoder: HashedWordEncoder(), reporter: pretraining
        ).train(resume: false)
        #expect(pretraining.tasks == ["text states", "VTM epoch 1/1"])
        guard pretraining.events.count == 3,
            case .pretrainingParameters = pretraining.events[0],
            case .data(let data) = pretraining.events[1],
            case .pretrainingEpochFinished(let record, 1) = pretraining.events[2]
        else {
            Issue.record("unexpected pretraining events \(pretraining.events)")
            return
        }
        #expect(data.momentContextFraction == 0.2)
        #expect(record.epoch == 0)
    }

    @Test func aDivergingRunStopsWithAnErrorAndKeepsTheLastFiniteCheckpoints() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let (run, url) = try trainedTinyRun(in: directory.url, epochs: 3, epochLimit: 1)
        let files = RunDirectory(url)
        let before = try [files.bestCheckpoint, files.lastCheckpoint, files.log].map {
            try Data(contentsOf: $0)
        }
        var diverging = run
        diverging.training.learningRate = 1e30
        let error = #expect(throws: GroundingError.self) {
            try GroundingTrainer(
                run: diverging, directory: url, encoder: HashedWordEncoder(),
                reporter: RecordingReporter()
            ).train(resume: true)
        }
        guard case .trainingDiverged(let epoch, _, _) = error else {
            Issue.record("expected trainingDiverged, got \(String(describing: error))")
            return
        }
        #expect(epoch == 1)
        #expect(error?.description.contains("Lower the learning rate") == true)
        let after = try [files.bestCheckpoint, files.lastCheckpoint, files.log].map {
            try Data(contentsOf: $0)
        }
        #expect(after == before, "no checkpoint or log line of the diverged epoch")
    }
}

extension TrainingLoopTests {
    @Test func aNewRunRefusesANonEmptyDirectoryUnlessOverwriting() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let (_, url) = try trainedTinyRun(in: directory.url, epochs: 1)
        let files = RunDirectory(url)
        #expect(throws: GroundingError.runDirectoryNotEmpty(path: url.path)) {
            try files.prepareForNewRun(overwrite: false)
        }
        try Data("notes".utf8).write(to: url.appendingPathComponent("notes.txt"))
        try files.prepareForNewRun(overwrite: true)
        #expect(files.runFiles.allSatisfy { !FileManager.default.fileExists(atPath: $0.path) })
        // Only the run's own files go; a fresh or missing directory is fine.
        #expect(
            FileManager.default.fileExists(atPath: url.appendingPathComponent("notes.txt").path))
        try RunDirectory(directory.file("fresh")).prepareForNewRun(overwrite: false)
    }

    @Test func aTemporaryFileOfAKilledCheckpointWriteIsRemovedOnTheNextStart() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let (run, url) = try trainedTinyRun(in: directory.url, epochs: 2, epochLimit: 1)
        let stale = url.appendingPathComponent(".last.safetensors.tmp-3k2j1")
        try Data(repeating: 7, count: 1000).write(to: stale)
        _ = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: RecordingReporter()
        ).train(resume: true)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        #expect(!names.contains { $0.contains(".tmp-") })
    }

    @Test func newRunsStoreAbsolutePaths() {
        let current = FileManager.default.currentDirectoryPath
        #expect(GroundingRunRequest.absolutePath("data/../features") == current + "/features")
        #expect(GroundingRunRequest.absolutePath("/a/./b") == "/a/b")
    }
}

extension TrainingLoopTests {
    @Test func aRunDirectoryThatIsAFileIsAnErrorInTheLibrarysWords() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let run = try tinyRun(in: directory.url, epochs: 1)
        let file = directory.file("taken")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: GroundingError.self) {
            try GroundingTrainer(
                run: run, directory: file, encoder: HashedWordEncoder(),
                reporter: RecordingReporter()
            ).train(resume: false)
        }
        #expect(error == .cannotWrite(path: file.path, reason: "a file of that name exists"))
        #expect(error?.description.contains("NSCocoaErrorDomain") == false)
        #expect(
            error?.description.hasPrefix("\(file.path): cannot write (a file of that name exists)")
                == true)
    }
}

extension TrainingLoopTests {
    @Test func oldRelativePathsAreReadAgainstTheRunDirectorysParent() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        var run = try tinyRun(in: directory.url, epochs: 1)
        let runURL = directory.file("runs/old")
        try FileManager.default.createDirectory(at: runURL, withIntermediateDirectories: true)
        // A run saved before absolute paths, trained from `directory/runs`: "../data".
        let relative = "../data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            at: directory.file("runs").appendingPathComponent(relative),
            withIntermediateDirectories: true)
        run.annotationsPath = relative
        try Data(run.jsonText().utf8).write(to: RunDirectory(runURL).configurationFile)
        let read = try RunDirectory(runURL).configuration()
        #expect(read.annotationsPath == directory.file("runs").appendingPathComponent(relative)
            .standardizedFileURL.path)
        // A path that exists nowhere stays as it was (the error then names it).
        #expect(RunDirectory.resolved("nowhere/x", against: directory.url) == "nowhere/x")
    }
}
