import Datasets
import Foundation
import Metrics
import NeuralNet
import Tensors
import Testing
import VTGCore
@testable import Grounding

/// A test double for the frozen text encoder: each word gets a fixed pseudo-random vector
/// (seeded by its characters), so queries sharing words share states, as with a real encoder.
/// Fast and independent of the MiniLM files; the MiniLM path has its own parity tests.
final class HashedWordEncoder: QueryEncoder {
    let stateSize = 24

    func tokenStates(of queries: [String]) throws -> [QueryStates] {
        queries.map { query in
            let words = query.lowercased().split { !$0.isLetter }
            var values: [Float] = []
            for word in words {
                var seed: UInt64 = 1469598103934665603
                for byte in word.utf8 { seed = (seed ^ UInt64(byte)) &* 1099511628211 }
                var generator = SeededGenerator(seed: seed)
                values += (0..<stateSize).map { _ in generator.nextNormal() }
            }
            return QueryStates(tokenCount: words.count, stateSize: stateSize, values: values)
        }
    }
}

/// A tiny synthetic benchmark and run configuration shared by the tests.
func tinyRun(in directory: URL, epochs: Int, seed: UInt64 = 3) throws -> GroundingRunConfiguration {
    let data = directory.appendingPathComponent("data")
    let manifest = try SyntheticBenchmark.write(
        SyntheticBenchmarkConfiguration(layout: .charadesSTA, videoCount: 30, seed: 5,
            featureDimension: 16),
        to: data)
    var request = GroundingRunRequest()
    request.dataset = .charadesSTA
    request.annotationsPath = data.path
    request.featuresPath = manifest.featureLocation(in: data).path
    request.featureKind = "synthetic"
    request.evaluationSplit = "test"
    request.evaluationProtocol = .vslnet
    request.epochs = epochs
    request.batchSize = 8
    request.learningRate = 2e-3
    request.seed = seed
    // The trainer's mechanics are tested on the whole training split, every epoch trained;
    // model selection has its own tests.
    request.selection = .bestOnTest
    request.earlyStoppingPatience = 0
    var run = try request.makeConfiguration()
    run.model = GroundingModelConfiguration(
        featureDimension: 16, featureKind: "synthetic", maxClips: 32, hiddenSize: 32, headCount: 2,
        intermediateSize: 64, videoLayerCount: 1, fusionLayerCount: 1, textStateSize: 24)
    return run
}

/// `tinyRun` trained for `epochLimit` of its `epochs` epochs (all by default) in `run/` of
/// `directory`; returns the configuration and the run directory.
func trainedTinyRun(in directory: URL, epochs: Int, epochLimit: Int? = nil) throws
    -> (run: GroundingRunConfiguration, url: URL)
{
    let run = try tinyRun(in: directory, epochs: epochs)
    let url = directory.appendingPathComponent("run")
    _ = try GroundingTrainer(
        run: run, directory: url, encoder: HashedWordEncoder(),
        reporter: RecordingReporter()
    ).train(resume: false, epochLimit: epochLimit)
    return (run, url)
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "promptvtg-grounding-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct GroundingTrainerTests {
    @Test func lossFallsAndTheRunDirectoryIsComplete() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var run = try tinyRun(in: directory, epochs: 12)
        run.training.learningRate = 1e-2
        run.training.warmupFraction = 0.02
        let trainer = try GroundingTrainer(
            run: run, directory: directory.appendingPathComponent("run"),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let summary = try trainer.train(resume: false)
        // Start and end cross-entropies begin near 2·log(~30 clips) ≈ 6.8 plus the inside BCE
        // (≈ 0.7); twelve epochs (96 steps) at lr 1e-2 bring this seed's total to about 4.6.
        #expect(summary.epochs.first!.trainingLoss > 7)
        #expect(summary.epochs.last!.trainingLoss < 5.8)
        let runDirectory = RunDirectory(directory.appendingPathComponent("run"))
        for file in [runDirectory.configurationFile, runDirectory.lastCheckpoint,
            runDirectory.bestCheckpoint, runDirectory.log, runDirectory.bestMetrics]
        {
            #expect(FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent)")
        }
        let logLines = try String(contentsOf: runDirectory.log, encoding: .utf8)
            .split(separator: "\n")
        #expect(logLines.count == 12)
    }

    /// `tinyRun` choosing its epoch on a carved validation split, stopping after `patience`
    /// epochs without improvement.
    func validatedTinyRun(in directory: URL, epochs: Int, patience: Int) throws
        -> GroundingRunConfiguration
    {
        var run = try tinyRun(in: directory, epochs: epochs)
        run.training.selection = .validation
        run.training.earlyStoppingPatience = patience
        run.chooseValidationSplit()
        return run
    }

    @Test func aValidationSplitChoosesTheEpochAndTestIsEvaluatedOnceAtIt() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try validatedTinyRun(in: directory, epochs: 6, patience: 1)
        #expect(run.validation == ValidationSplit(fraction: 0.1))
        let url = directory.appendingPathComponent("run")
        let trainer = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let validationVideos = Set(trainer.evaluationSet.samples.map(\.videoID))
        #expect(!validationVideos.isEmpty)
        #expect(validationVideos.isDisjoint(with: Set(trainer.trainSet.samples.map(\.videoID))))
        #expect(trainer.data.testSet?.split == "test")
        let summary = try trainer.train(resume: false)
        #expect(summary.selection == .validation)
        #expect(summary.epochs.allSatisfy { $0.metrics.split == "validation" })
        #expect(summary.selectionMetrics == summary.epochs[summary.bestEpoch].metrics)
        #expect(summary.bestMetrics.split == "test")
        // Patience 1: training stops after the first epoch that does not improve.
        let improvements = summary.epochs.map(\.isBest)
        if summary.stoppedEarly {
            #expect(improvements.last == false)
            #expect(improvements.dropLast().last == true)
        } else {
            #expect(summary.epochs.count == 6)
        }
        // The saved run evaluates the test split at the chosen weights to the same figures.
        let evaluation = try Grounder(runDirectory: url, encoder: HashedWordEncoder()).evaluate()
        #expect(evaluation.report == summary.bestMetrics)
        let saved = try RunDirectory(url).configuration()
        #expect(saved.validation == run.validation)
        #expect(FileManager.default.fileExists(atPath: RunDirectory(url).validationMetrics.path))
    }

    @Test func resumingWithValidationAndEarlyStoppingIsBitIdentical() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try validatedTinyRun(in: directory, epochs: 3, patience: 1)
        let make = { (name: String) in
            try GroundingTrainer(
                run: run, directory: directory.appendingPathComponent(name),
                encoder: HashedWordEncoder(), reporter: RecordingReporter())
        }
        let runs = try trainStraightAndResumed(make)
        #expect(
            runs.resumedSummary.epochs.map(\.trainingLoss)
                == runs.straightSummary.epochs.map(\.trainingLoss))
        #expect(runs.resumedSummary.bestMetrics == runs.straightSummary.bestMetrics)
        #expect(snapshot(runs.resumed.parameters) == snapshot(runs.straight.parameters))
    }

    @Test func resumingGivesTheSameWeightsAsAnUninterruptedRun() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try tinyRun(in: directory, epochs: 2)
        let straight = directory.appendingPathComponent("straight")
        let interrupted = directory.appendingPathComponent("interrupted")
        let first = try GroundingTrainer(run: run, directory: straight,
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let straightSummary = try first.train(resume: false)
        // One epoch, then a fresh trainer (a new process's state) resumes for the second.
        _ = try GroundingTrainer(run: run, directory: interrupted,
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
            .train(resume: false, epochLimit: 1)
        let resumed = try GroundingTrainer(run: run, directory: interrupted,
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let resumedSummary = try resumed.train(resume: true)
        #expect(resumedSummary.epochs.map(\.trainingLoss) == straightSummary.epochs.map(\.trainingLoss))
        for entry in first.parameters.entries {
            #expect(resumed.parameters[entry.path]?.scalars == entry.tensor.scalars,
                "\(entry.path)")
        }
    }

    @Test func savedWeightsPredictExactlyAsTrained() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try tinyRun(in: directory, epochs: 1)
        let runURL = directory.appendingPathComponent("run")
        let trainer = try GroundingTrainer(run: run, directory: runURL,
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let summary = try trainer.train(resume: false)
        let grounder = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder())
        let evaluation = try grounder.evaluate()
        #expect(evaluation.report == summary.bestMetrics)
        #expect(evaluation.predictions.count == summary.bestMetrics.queryCount)
    }

    @Test func groundingReturnsSpansInsideTheVideoAndRefusesBadInput() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try tinyRun(in: directory, epochs: 1)
        let runURL = directory.appendingPathComponent("run")
        _ = try GroundingTrainer(run: run, directory: runURL, encoder: HashedWordEncoder(),
            reporter: RecordingReporter()).train(resume: false)
        let grounder = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder())
        let test = try GroundingDataset.load(.charadesSTA, split: "test",
            from: URL(fileURLWithPath: run.annotationsPath))
        let sample = test.samples[0]
        let featureFile = run.features.file(forVideo: sample.videoID)
        let features = try grounder.loadFeatures(path: featureFile.path)
        let results = try grounder.ground(features: features,
            durationSeconds: sample.durationSeconds, queries: [sample.query, "a person sits"],
            topK: 3)
        #expect(results.count == 2)
        for result in results {
            #expect(result.spans.count == 3)
            for span in result.spans {
                #expect(span.span.startSeconds >= 0)
                #expect(span.span.endSeconds <= sample.durationSeconds + 1e-9)
                #expect(span.span.startSeconds <= span.span.endSeconds)
            }
        }
        // JSON round trip of what `vtg ground --json` prints.
        let json = try JSONEncoder().encode(results)
        let decoded = try JSONDecoder().decode([GroundingResult].self, from: json)
        #expect(decoded.map(\.spans) == results.map(\.spans))
        #expect(throws: GroundingError.self) {
            try grounder.ground(features: features, durationSeconds: 0, queries: ["x"])
        }
        #expect(throws: GroundingError.self) {
            try grounder.ground(features: features, durationSeconds: 10, queries: ["   "])
        }
        // Features of another dimension are refused, naming the file.
        let wrong = directory.appendingPathComponent("wrong.npy")
        try NumpyTestFile.write(clips: 5, dimension: 7, to: wrong)
        #expect(throws: GroundingError.self) { try grounder.loadFeatures(path: wrong.path) }
        // A run directory without weights is refused with a clear error.
        #expect(throws: GroundingError.self) {
            try Grounder(runDirectory: directory, encoder: HashedWordEncoder())
        }
    }
}

/// Writes a small float32 .npy file (version 1.0, C order) for tests.
enum NumpyTestFile {
    static func write(clips: Int, dimension: Int, to url: URL) throws {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(clips), \(dimension)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for index in 0..<(clips * dimension) {
            var value = Float(index % 7) * 0.1
            withUnsafeBytes(of: &value) { data.append(contentsOf: $0) }
        }
        try data.write(to: url)
    }
}

@Suite struct MismatchedQueryTests {
    @Test func eachVideoGetsAnotherVideosQueryAndNoInsideLabels() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var run = try tinyRun(in: directory, epochs: 1)
        run.training.mismatchedQueryWeight = 1
        let trainer = try GroundingTrainer(run: run, directory: directory.appendingPathComponent("run"),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let samples = Array(trainer.trainSet.samples.prefix(6))
        let batch = try #require(try trainer.mismatchedBatch(samples))
        for (original, paired) in zip(samples, batch.samples) {
            #expect(paired.videoID == original.videoID)
            #expect(paired.query != original.query)
            // The query comes from a sample about another video.
            #expect(samples.contains { $0.query == paired.query && $0.videoID != original.videoID })
        }
        #expect(batch.insideLabels.scalars.allSatisfy { $0 == 0 })
        // A batch of one video has no mismatched pair.
        let single = samples.filter { $0.videoID == samples[0].videoID }
        #expect(try trainer.mismatchedBatch(single) == nil)
        // Training with the loss on runs and records the weight in the run configuration.
        let summary = try trainer.train(resume: false)
        #expect(summary.epochs.count == 1)
        #expect(try RunDirectory(directory.appendingPathComponent("run")).configuration()
            .training.mismatchedQueryWeight == 1)
    }
}

/// Token ids only (word hashes into 50 rows), as the from-scratch text encoder takes them.
final class HashedIDEncoder: QueryEncoder {
    let stateSize = 0

    func tokenStates(of queries: [String]) throws -> [QueryStates] {
        queries.map { query in
            let ids = query.lowercased().split { !$0.isLetter }.map { word in
                word.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) % 50 }
            }
            return QueryStates(tokenCount: ids.count, stateSize: 0, values: [], tokenIDs: ids)
        }
    }
}

@Suite struct ScratchTextEncoderTests {
    @Test func trainsAndGroundsFromTokenIDs() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var run = try tinyRun(in: directory, epochs: 3)
        run.training.learningRate = 1e-2
        run.model.scratchTextVocabularySize = 50
        run.model.scratchTextLayerCount = 1
        let runURL = directory.appendingPathComponent("run")
        let trainer = try GroundingTrainer(run: run, directory: runURL, encoder: HashedIDEncoder(),
            reporter: RecordingReporter())
        // The word embeddings are trainable parameters of the model.
        #expect(trainer.parameters["text.scratch.word_embeddings.weight"]?.shape == [50, 32])
        let summary = try trainer.train(resume: false)
        #expect(summary.epochs.last!.trainingLoss < summary.epochs.first!.trainingLoss)
        let grounder = try Grounder(runDirectory: runURL, encoder: HashedIDEncoder())
        let evaluation = try grounder.evaluate()
        #expect(evaluation.report == summary.bestMetrics)
    }
}
