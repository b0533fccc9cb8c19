import Datasets
import Foundation
import Tensors
import Testing
import VTGCore

@testable import Grounding

/// A request for the tiny synthetic benchmark written into `directory` (16-d features).
func tinyRequest(in directory: URL) throws -> GroundingRunRequest {
    let data = directory.appendingPathComponent("data")
    let manifest = try SyntheticBenchmark.write(
        SyntheticBenchmarkConfiguration(
            layout: .charadesSTA, videoCount: 30, seed: 5, featureDimension: 16),
        to: data)
    var request = GroundingRunRequest()
    request.dataset = .charadesSTA
    request.annotationsPath = data.path
    request.featuresPath = manifest.featureLocation(in: data).path
    return request
}

@Suite struct GroundingRunRequestTests {
    @Test func absentSettingsTakeTheLibraryDefaults() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try tinyRequest(in: directory).makeConfiguration()
        #expect(run.training == GroundingTrainingConfiguration.defaults)
        #expect(run.training.bestMetric.description == "R1@0.5")
        #expect(
            run.model
                == GroundingModelConfiguration.defaults(
                    for: .charadesSTA, featureDimension: 16,
                    featureKind: GroundingRunRequest.defaultFeatureKind))
        #expect(run.model.hiddenSize == GroundingModelConfiguration.standardHiddenSize)
        #expect(
            run.model.intermediateSize
                == GroundingModelConfiguration.feedForwardMultiplier * run.model.hiddenSize)
        #expect(run.model.fusionAttentionDropout == .linearDropKey(first: 0.15, last: 0.05))
        #expect(run.evaluationSplit == "test")
        #expect(run.evaluationProtocol == .standard(for: .charadesSTA))
        #expect(run.resolvedStage == .ground)
        #expect(run.pretraining == nil && run.prompts == nil && run.tuning == nil)
        #expect(run.model.scratchTextVocabularySize == nil)
    }

    @Test func settingsAskedForReplaceTheDefaults() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = try tinyRequest(in: directory)
        request.hiddenSize = 32
        request.fusionLayerCount = 3
        request.videoLayerCount = 2
        request.dropout = 0.05
        request.dropKey = 0.3
        request.epochs = 2
        request.bestMetric = .meanIoU
        request.promptLearningRate = 0.02
        request.featureKind = "i3d"
        request.stage = .pretrain
        request.matchingStyle = .allinone
        request.matchingContextFraction = 0.2
        var run = try request.makeConfiguration()
        #expect(run.model.hiddenSize == 32 && run.model.intermediateSize == 128)
        #expect(run.model.fusionLayerCount == 3 && run.model.videoLayerCount == 2)
        #expect(run.model.dropout == 0.05)
        #expect(run.model.fusionAttentionDropout == .linearDropKey(first: 0.3, last: 0.1))
        // A DropKey strength changes the fusion layers only; the video encoder keeps its own.
        #expect(
            run.model.videoAttentionDropout
                == GroundingModelConfiguration.defaultVideoAttentionDropout)
        #expect(run.model.featureKind == "i3d")
        #expect(run.training.epochs == 2 && run.training.bestMetric == .meanIoU)
        #expect(run.training.promptLearningRate == 0.02)
        #expect(run.training.batchSize == GroundingTrainingConfiguration.defaults.batchSize)
        #expect(run.resolvedStage == .pretrain)
        #expect(
            run.pretraining
                == PretrainingConfiguration(style: .allinone, contextFraction: 0.2))
        request.dropKey = 0
        run = try request.makeConfiguration()
        // Off means off everywhere: no DropKey in the fusion layers or the video encoder.
        #expect(run.model.fusionAttentionDropout == .constant(.none))
        #expect(run.model.videoAttentionDropout == .constant(.none))
        request.dropKey = nil
        request.attentionDropout = 0.2
        run = try request.makeConfiguration()
        #expect(
            run.model.fusionAttentionDropout
                == .constant(.probabilityDropout(probability: 0.2)))
        #expect(
            run.model.videoAttentionDropout
                == .constant(.probabilityDropout(probability: 0.2)))
    }

    @Test func validationNamesTheInputAtFault() {
        let error = Self.validationError
        #expect(error { _ in } == nil)
        #expect(
            error { $0.epochs = 0 } == .invalidValue(.epochs, value: "0", expected: "at least 1"))
        #expect(error { $0.batchSize = -1 }.map(Self.inputs) == [.batchSize])
        #expect(error { $0.dropKey = 1 }.map(Self.inputs) == [.dropKey])
        #expect(error { $0.dropout = -0.1 }.map(Self.inputs) == [.dropout])
        #expect(error { $0.attentionDropout = 0.1 } == nil)
        #expect(
            error {
                $0.attentionDropout = 0.1
                $0.dropKey = 0.2
            }.map(Self.inputs) == [.dropKey, .attentionDropout])
        #expect(error { $0.hiddenSize = 30 }.map(Self.inputs) == [.hiddenSize])
        #expect(error { $0.hiddenSize = 0 }.map(Self.inputs) == [.hiddenSize])
        #expect(error { $0.hiddenSize = 36 } == nil)
        #expect(
            error {
                $0.annotationsPath = nil
                $0.featuresPath = nil
            }.map(Self.inputs) == [.annotations, .features])
        #expect(error { $0.tuning = .prompt }.map(Self.inputs) == [.pretrainingRun])
        #expect(
            error {
                $0.pretrainingRunPath = "p"
                $0.stage = .pretrain
            }.map(Self.inputs) == [.stage, .pretrainingRun])
        #expect(
            error {
                $0.pretrainingRunPath = "p"
                $0.hiddenSize = 64
                $0.textEncoder = .scratch
            }.map(Self.inputs) == [.pretrainingRun, .hiddenSize, .textEncoder])
        #expect(
            error {
                $0.pretrainingRunPath = "p"
                $0.tuning = .prompt
                $0.promptCount = 2
                $0.testPrompt = 2
            }.map(Self.inputs) == [.testPrompt])
        #expect(error { $0.validationFraction = 1 }.map(Self.inputs) == [.validationFraction])
        #expect(
            error { $0.earlyStoppingPatience = -1 }.map(Self.inputs) == [.earlyStoppingPatience])
        #expect(error { $0.earlyStoppingPatience = 0 } == nil)
        #expect(error { $0.tuning = .lora }.map(Self.inputs) == [.pretrainingRun])
        #expect(error { $0.tuning = .side }.map(Self.inputs) == [.pretrainingRun])
        for (change, input) in [
            (
                { (request: inout GroundingRunRequest) in request.loraRank = 0 },
                GroundingInput.loraRank
            ),
            ({ $0.loraAlpha = 0 }, .loraAlpha), ({ $0.loraDropout = 1 }, .loraDropout),
            ({ $0.loraTargets = ["query"] }, .loraTargets),
        ] {
            #expect(
                error {
                    $0.pretrainingRunPath = "p"
                    $0.tuning = .lora
                    change(&$0)
                }.map(Self.inputs) == [input])
        }
        // A resumed run is the saved one: its data need not be given again.
        #expect(
            error {
                $0.dataset = nil
                $0.resumeDirectory = "r"
            } == nil)
    }

    /// The inputs an error names.
    /// The error `validate()` throws for a new-run request changed by `change` (nil: none).
    static func validationError(_ change: (inout GroundingRunRequest) -> Void) -> GroundingError? {
        var request = GroundingRunRequest()
        request.dataset = .charadesSTA
        request.annotationsPath = "a"
        request.featuresPath = "f"
        change(&request)
        do {
            try request.validate()
            return nil
        } catch { return error }
    }

    static func inputs(_ error: GroundingError) -> [GroundingInput] {
        switch error {
        case .missingFile(_, _, let input), .invalidValue(let input, _, _): return [input]
        case .missingInputs(let inputs, _, _), .invalidCombination(let inputs, _): return inputs
        default: return []
        }
    }

    @Test func selectionSettingsReachTheRunAndItsValidationSplit() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = try tinyRequest(in: directory)
        let chosen = try request.makeConfiguration()
        #expect(chosen.resolvedSelection == .validation)
        #expect(chosen.validation == ValidationSplit(fraction: 0.1))
        #expect(chosen.training.earlyStoppingPatience == 3)
        request.selection = .bestOnTest
        request.earlyStoppingPatience = 0
        request.validationFraction = 0.2
        let onTest = try request.makeConfiguration()
        #expect(onTest.resolvedSelection == .bestOnTest)
        #expect(onTest.validation == nil)
        #expect(onTest.training.earlyStoppingPatience == nil)
        #expect(onTest.training.validationFraction == 0.2)
    }

    @Test func nonFiniteAndOutOfRangeNumbersAreRefusedBeforeTheyReachAPrecondition() {
        let error = Self.validationError
        #expect(
            error { $0.learningRate = .nan }
                == .invalidValue(.learningRate, value: "nan", expected: "a finite number above 0"))
        #expect(error { $0.learningRate = .infinity }.map(Self.inputs) == [.learningRate])
        #expect(error { $0.learningRate = 0 }.map(Self.inputs) == [.learningRate])
        #expect(error { $0.learningRate = 1e30 } == nil)
        #expect(error { $0.promptLearningRate = -1 }.map(Self.inputs) == [.promptLearningRate])
        #expect(
            error { $0.weightDecay = .nan }
                == .invalidValue(
                    .weightDecay, value: "nan", expected: "a finite number of 0 or more"))
        #expect(error { $0.weightDecay = 0 } == nil)
        #expect(error { $0.insideLossWeight = .infinity }.map(Self.inputs) == [.insideLossWeight])
        #expect(
            error { $0.mismatchedQueryWeight = -0.5 }.map(Self.inputs) == [.mismatchedQueryWeight])
        #expect(
            error { $0.fusionLayerCount = 0 }
                == .invalidValue(.fusionLayerCount, value: "0", expected: "at least 1"))
        #expect(error { $0.videoLayerCount = 0 } == nil)
        #expect(error { $0.videoLayerCount = -1 }.map(Self.inputs) == [.videoLayerCount])
        #expect(error { $0.dropout = .nan }.map(Self.inputs) == [.dropout])
        #expect(
            (try? WorkerThreads.validate(0)) == nil && (try? WorkerThreads.validate(nil)) != nil)
        #expect(
            (try? RunDirectory.validatePath("")) == nil
                && (try? RunDirectory.validatePath("runs/a")) != nil)
    }

    @Test func resumingReadsTheSavedRunAndRefusesAMissingOne() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = try tinyRequest(in: directory)
        let runDirectory = directory.appendingPathComponent("run")
        request.resumeDirectory = runDirectory.path
        let error = #expect(throws: GroundingError.self) { try request.makeConfiguration() }
        #expect(
            error
                == .missingFile(
                    path: runDirectory.appendingPathComponent("run.json").path,
                    what: "run configuration", input: .runDirectory))
        request.resumeDirectory = nil
        request.epochs = 3
        let saved = try request.makeConfiguration()
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        try Data(saved.jsonText().utf8).write(to: RunDirectory(runDirectory).configurationFile)
        // Settings given again with their saved values are fine: the saved run continues.
        request.resumeDirectory = runDirectory.path
        #expect(try request.makeConfiguration() == saved)
        // Changed ones are refused, unless allowed, and then applied.
        request.epochs = 7
        request.seed = 9
        request.learningRate = saved.training.learningRate
        #expect(
            throws: GroundingError.changedOnResume([
                .init(input: .epochs, saved: "3", requested: "7"),
                .init(input: .seed, saved: "1", requested: "9"),
            ])
        ) { try request.makeConfiguration() }
        request.allowedChanges = [.epochs]
        let seedOnly = #expect(throws: GroundingError.self) { try request.makeConfiguration() }
        #expect(
            seedOnly?.description
                == "the run was trained with the seed 1; resuming with the seed 9 would make a "
                + "run no configuration describes: resume without them, or resume allowing the "
                + "change of the seed")
        request.seed = nil
        var extended = saved
        extended.training.epochs = 7
        #expect(try request.makeConfiguration() == extended)
        request.epochs = 7
        request.allowedChanges = []
        try Data("{".utf8).write(to: RunDirectory(runDirectory).configurationFile)
        #expect(throws: GroundingError.self) { try request.makeConfiguration() }
    }

    @Test func theTextPrecisionReachesRunJSONAndCannotChangeOnResume() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = try tinyRequest(in: directory)
        #expect(try request.makeConfiguration().textPrecision == nil)
        request.textPrecision = .int8
        let saved = try request.makeConfiguration()
        // The precision that runs: int8, or float32 on a CPU without the kernel.
        let running = CPUFeatures.current.supportedPrecision(.int8)
        #expect(saved.textPrecision == running && saved.resolvedTextPrecision == running)
        #expect(saved.jsonText().contains("\"textPrecision\" : \"\(running.rawValue)\""))
        let runDirectory = directory.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        try Data(saved.jsonText().utf8).write(to: RunDirectory(runDirectory).configurationFile)
        request.resumeDirectory = runDirectory.path
        request.textPrecision = running
        #expect(try request.makeConfiguration() == saved)
        // Another precision is refused even when "allowed": cached states would mix.
        request.textPrecision = running == .float32 ? .bf16 : .float32
        request.allowedChanges = Set(GroundingInput.allCases)
        #expect(throws: GroundingError.self) { try request.makeConfiguration() }
    }

    @Test func warmUpHeadWidthAndPromptShapingReachRunJSONAndAreResumeChecked() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = try tinyRequest(in: directory)
        request.warmupFraction = 0.2
        request.headWidth = 8
        var saved = try request.makeConfiguration()
        #expect(saved.training.warmupFraction == 0.2 && saved.model.headWidth == 8)
        #expect(saved.jsonText().contains("\"headWidth\" : 8"))
        saved.prompts = PromptTuningConfiguration(normalization: .rms, encoderWidth: 4)
        let decoded = try JSONDecoder().decode(
            GroundingRunConfiguration.self, from: Data(saved.jsonText().utf8))
        #expect(decoded == saved)
        let runDirectory = directory.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        try Data(saved.jsonText().utf8).write(to: RunDirectory(runDirectory).configurationFile)
        request.resumeDirectory = runDirectory.path
        request.promptNormalization = .rms
        request.promptEncoderWidth = 4
        #expect(try request.makeConfiguration() == saved)
        // The warm-up is a training setting: refused unless allowed.
        request.warmupFraction = 0.3
        #expect(
            throws: GroundingError.changedOnResume([
                .init(input: .warmupFraction, saved: "0.2", requested: "0.3")
            ])
        ) { try request.makeConfiguration() }
        request.allowedChanges = [.warmupFraction]
        #expect(try request.makeConfiguration().training.warmupFraction == 0.3)
        // The network's shape never changes on resume, even when "allowed".
        request.allowedChanges = Set(GroundingInput.allCases)
        request.headWidth = 16
        request.promptEncoderWidth = 8
        #expect(
            throws: GroundingError.changedOnResume([
                .init(input: .headWidth, saved: "8", requested: "16"),
                .init(input: .promptEncoderWidth, saved: "4", requested: "8"),
            ])
        ) { try request.makeConfiguration() }
        // Out-of-range values are refused before any file is read.
        request = GroundingRunRequest()
        request.warmupFraction = 1.5
        #expect(throws: GroundingError.invalidValue(
            .warmupFraction, value: "1.5", expected: "a fraction in [0, 1]")
        ) { try request.validate() }
        request.warmupFraction = nil
        request.headWidth = 0
        #expect(throws: GroundingError.invalidValue(.headWidth, value: "0", expected: "at least 1"))
        { try request.validate() }
        let unprompted = PromptTuningConfiguration(
            textPromptLength: 2, fusionPromptLength: 0, deepPromptLength: 0, encoderWidth: 4)
        #expect(throws: GroundingError.self) { try unprompted.validate() }
        #expect(throws: GroundingError.self) {
            try PromptTuningConfiguration(encoderWidth: 0).validate()
        }
    }

    @Test func aGroundingStageStartsOnlyFromAPretrainingRun() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let grounding = try tinyRequest(in: directory).makeConfiguration()
        let runDirectory = directory.appendingPathComponent("grounding")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        try Data(grounding.jsonText().utf8).write(to: RunDirectory(runDirectory).configurationFile)
        var request = GroundingRunRequest()
        request.pretrainingRunPath = runDirectory.path
        #expect(throws: GroundingError.self) { try request.makeConfiguration() }
        do {
            _ = try request.makeConfiguration()
        } catch let error as GroundingError {
            #expect(Self.inputs(error) == [.pretrainingRun])
        }
        request.pretrainingRunPath = directory.appendingPathComponent("nowhere").path
        do {
            _ = try request.makeConfiguration()
            Issue.record("a missing pretraining run was accepted")
        } catch let error as GroundingError {
            guard case .missingFile(_, _, .pretrainingRun) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test func errorsAreSaidInTheLibrarysWordsOrInAFrontEndsNames() {
        let error = GroundingError.missingInputs(
            [.dataset, .annotations, .features], alternatives: [.pretrainingRun],
            reason: "a new run reads its data from them")
        #expect(
            error.description
                == "missing the dataset, the annotations directory and the clip features (or "
                + "the pretraining run to start from): a new run reads its data from them")
        #expect(
            error.message(naming: { "--\($0.rawValue)" })
                == "missing --dataset, --annotations and --features (or --pretrainingRun): a "
                + "new run reads its data from them")
        let value = GroundingError.invalidValue(.epochs, value: "0", expected: "at least 1")
        #expect(value.description == "the number of epochs is 0; expected at least 1")
        // No library message names a flag or a command.
        for input in GroundingInput.allCases {
            #expect(!input.description.contains("--"), "\(input)")
        }
    }
}
