import Datasets
import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore
@testable import Grounding

/// A pretraining run on the tiny benchmark, trained for `epochs`; returns its directory.
func tinyPretraining(
    in directory: URL, style: VideoTextMatchingStyle = .violet, epochs: Int = 1,
    encoder: any QueryEncoder = HashedWordEncoder()
) throws -> (run: GroundingRunConfiguration, directory: URL) {
    var run = try tinyRun(in: directory, epochs: epochs)
    if encoder.stateSize != run.model.textStateSize { run.model.textStateSize = encoder.stateSize }
    run.stage = .pretrain
    run.pretraining = PretrainingConfiguration(style: style)
    let url = directory.appendingPathComponent("pretrain-\(style.rawValue)")
    _ = try VideoTextMatchingTrainer(
        run: run, directory: url, encoder: encoder, reporter: RecordingReporter()
    ).train(resume: false)
    return (run, url)
}

/// A prompt-tuning run configuration on top of a tiny pretraining run.
func tinyPromptRun(
    from pretraining: URL, prompts: PromptTuningConfiguration, epochs: Int = 2
) throws -> GroundingRunConfiguration {
    var request = GroundingRunRequest()
    request.pretrainingRunPath = pretraining.path
    request.tuning = .prompt
    request.setPrompts(prompts)
    request.epochs = epochs
    request.batchSize = 8
    request.learningRate = 5e-3
    request.seed = 4
    request.promptLearningRate = 5e-2
    return try request.makeConfiguration()
}

/// Every parameter's values, by path.
func snapshot(_ parameters: ParameterStore) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: parameters.entries.map { ($0.path, $0.tensor.scalars) })
}

@Suite struct PromptTuningTests {
    static let uniformPrompts = PromptTuningConfiguration(
        fusionPromptLength: 2, deepPromptLength: 3, initialization: .uniform)

    @Test func promptTuningChangesOnlyPromptsAndHeadAndSavesOnlyThem() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyPromptRun(from: pretraining.directory, prompts: Self.uniformPrompts)
        let runURL = directory.appendingPathComponent("prompt")
        let trainer = try GroundingTrainer(
            run: run, directory: runURL, encoder: HashedWordEncoder(),
            reporter: RecordingReporter())
        let before = snapshot(trainer.parameters)
        _ = try trainer.train(resume: false)
        let after = snapshot(trainer.parameters)

        let backbonePaths = before.keys.filter(GroundingNetwork.isBackbone)
        #expect(!backbonePaths.isEmpty)
        for path in backbonePaths {
            // Bit-identical: frozen tensors are never touched, not merely changed a little.
            #expect(before[path]?.map(\.bitPattern) == after[path]?.map(\.bitPattern), "\(path)")
        }
        let trainedPaths = before.keys.filter { !GroundingNetwork.isBackbone($0) }.sorted()
        #expect(trainedPaths.contains("prompt.0.fusion.embedding.weight"))
        #expect(trainedPaths.contains("prompt.0.deep.embedding.weight"))
        #expect(trainedPaths.contains("span_head.output.weight"))
        for path in trainedPaths {
            #expect(before[path] != after[path], "\(path) did not change")
        }
        // The backbone weights are exactly the pretraining run's.
        let backbone = try Checkpoint.weights(at: RunDirectory(pretraining.directory).backboneCheckpoint)
        for (path, tensor) in backbone.weights {
            #expect(after[path] == tensor.scalars, "\(path)")
        }
        // The checkpoint holds the trained tensors only, and names the backbone.
        let best = try CheckpointFile(RunDirectory(runURL).bestCheckpoint)
        #expect(best.tensorNames.sorted() == trainedPaths)
        let saved = try RunDirectory(runURL).configuration()
        #expect(saved.backbone?.checksum == backbone.contents.dataChecksum)
    }

    @Test func theSavedPairPredictsAsTrainedAndAnotherBackboneIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyPromptRun(from: pretraining.directory, prompts: Self.uniformPrompts)
        let runURL = directory.appendingPathComponent("prompt")
        let summary = try GroundingTrainer(
            run: run, directory: runURL, encoder: HashedWordEncoder(),
            reporter: RecordingReporter()
        ).train(resume: false)
        let evaluation = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder()).evaluate()
        #expect(evaluation.report == summary.bestMetrics)

        // Another backbone at the same path (one weight changed): refused by its checksum.
        let backboneURL = RunDirectory(pretraining.directory).backboneCheckpoint
        let store = ParameterStore(
            weights: try Checkpoint.weights(at: backboneURL).weights, source: "test")
        _ = GroundingModel(run.model, parameters: store.root)
        try store.finishLoading(policy: LoadPolicy(
            allowsMissing: false, missingPrefixes: SpanHead.parameterPrefixes))
        store["fusion.cls_token"]?.withUnsafeMutableScalars { $0[0] += 1 }
        try Checkpoint.save(
            to: backboneURL, parameters: store, including: { GroundingNetwork.isBackbone($0.path) })
        let error = #expect(throws: GroundingError.self) {
            _ = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder())
        }
        guard case .backboneMismatch(let path, _, _) = error else {
            Issue.record("expected a backbone mismatch, got \(String(describing: error))")
            return
        }
        #expect(path == backboneURL.path)
    }

    @Test func aTextPromptTrainsThroughTheFrozenMiniLM() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let encoder = try MiniLMQueryEncoder()
        let pretraining = try tinyPretraining(in: directory, encoder: encoder)
        let prompts = PromptTuningConfiguration(
            textPromptLength: 2, fusionPromptLength: 0, deepPromptLength: 0,
            initialization: .vocabulary)
        let run = try tinyPromptRun(from: pretraining.directory, prompts: prompts, epochs: 1)
        let textEncoderBefore = snapshot(encoder.encoder.parameters)
        let trainer = try GroundingTrainer(
            run: run, directory: directory.appendingPathComponent("text"), encoder: encoder,
            reporter: RecordingReporter())
        let path = "prompt.0.text.embedding.weight"
        let start = try #require(trainer.parameters[path]).scalars
        // `vocab`: member 0 starts as MiniLM's word vectors of vocabulary rows 0 and 1.
        let words = encoder.encoder.model.embeddings.wordEmbeddings.weight
        #expect(start == words.slice(axis: 0, range: 0..<2).scalars)
        _ = try trainer.train(resume: false)
        #expect(trainer.parameters[path]?.scalars != start)
        #expect(snapshot(encoder.encoder.parameters) == textEncoderBefore)
    }

    @Test func promptSettingsParseAndValidate() {
        #expect(PromptInitialization(argument: "vocab") == .vocabulary)
        #expect(PromptInitialization(argument: "text:\"find the door\"") == .text("find the door"))
        #expect(PromptInitialization(argument: "text:open") == .text("open"))
        #expect(PromptInitialization(argument: "sample-vocab") == .sampledVocabulary)
        #expect(PromptInitialization(argument: "uniform") == .uniform)
        #expect(PromptInitialization(argument: "text:") == nil)
        #expect(PromptInitialization(argument: "random") == nil)
        #expect(throws: GroundingError.self) {
            try PromptTuningConfiguration(fusionPromptLength: 0, deepPromptLength: 0).validate()
        }
        #expect(throws: GroundingError.self) {
            try PromptTuningConfiguration(count: 2, ensemble: .average, testPrompt: 1).validate()
        }
        #expect(throws: GroundingError.self) {
            try PromptTuningConfiguration(count: 2, ensemble: .augment, testPrompt: 2).validate()
        }
    }

    @Test func resumingAPromptRunIsBitIdentical() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        var prompts = Self.uniformPrompts
        prompts.count = 2
        prompts.ensemble = .augment
        let run = try tinyPromptRun(from: pretraining.directory, prompts: prompts)
        let runs = try trainStraightAndResumed { name in
            try GroundingTrainer(
                run: run, directory: directory.appendingPathComponent(name),
                encoder: HashedWordEncoder(), reporter: RecordingReporter())
        }
        #expect(runs.resumedSummary.epochs.map(\.trainingLoss)
            == runs.straightSummary.epochs.map(\.trainingLoss))
        #expect(snapshot(runs.resumed.parameters) == snapshot(runs.straight.parameters))
    }

    @Test func anAverageEnsembleIsTheMeanOfItsMembers() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        var prompts = Self.uniformPrompts
        prompts.count = 3
        let run = try tinyPromptRun(from: pretraining.directory, prompts: prompts)
        let network = try GroundingNetwork(
            run: run, queryEncoder: HashedWordEncoder(), loadingBackbone: true)
        // Members 1 and 2 have their own heads; member 0 uses the model's.
        #expect(network.parameters["prompt.1.span_head.output.weight"] != nil)
        #expect(network.parameters["prompt.0.span_head.output.weight"] == nil)
        let trainer = try GroundingTrainer(
            run: run, directory: directory.appendingPathComponent("average"),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let samples = Array(trainer.evaluationSet.samples.prefix(5))
        let batch = try trainer.data.batches.batch(of: samples)
        let ensemble = network.spanProbabilities(batch)
        let members = (0..<3).map { member in network.spanProbabilities(batch, members: [member]) }
        #expect(members[0] != members[1])
        for row in samples.indices {
            for (index, value) in ensemble[row].start.enumerated() {
                let mean = members.map { $0[row].start[index] }.reduce(0, +) / 3
                #expect(abs(value - mean) < 1e-6)
            }
            for (index, value) in ensemble[row].end.enumerated() {
                let mean = members.map { $0[row].end[index] }.reduce(0, +) / 3
                #expect(abs(value - mean) < 1e-6)
            }
        }
    }

    @Test func augmentSharesOneHeadAndDrawsAPromptPerExample() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        var prompts = Self.uniformPrompts
        prompts.count = 3
        prompts.ensemble = .augment
        let run = try tinyPromptRun(from: pretraining.directory, prompts: prompts)
        let network = try GroundingNetwork(
            run: run, queryEncoder: HashedWordEncoder(), loadingBackbone: true)
        #expect(!network.parameters.entries.contains { $0.path.hasPrefix("prompt.1.span_head") })
        // Rows drawing different prompts get different fusion tokens; rows drawing the same
        // prompt get the same ones.
        let trainer = try GroundingTrainer(
            run: run, directory: directory.appendingPathComponent("augment"),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let batch = try trainer.data.batches.batch(
            of: Array(trainer.evaluationSet.samples.prefix(3)))
        var context = ForwardContext.evaluation
        let inputs = network.promptInputs(for: batch, rowMembers: [2, 0, 2], context: &context)
        let fusion = try #require(inputs.fusion)  // [3, 2, hidden]
        let row = { (index: Int) in fusion.slice(axis: 0, range: index..<(index + 1)).scalars }
        #expect(row(0) == row(2))
        #expect(row(0) != row(1))
        #expect(row(1) == network.members[0].fusionPrompt?.scalars)
        #expect(inputs.deep.count == run.model.fusionLayerCount)
    }

    @Test func deepPromptsFillTheirSlotsAndPassAGradientCheck() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try tinyRun(in: directory, epochs: 1)
        var model = run.model
        model.fusionLayerCount = 2
        model.dropout = 0
        let store = ParameterStore(seed: 9)
        let network = GroundingModel(model, parameters: store.root)
        let trainer = try GroundingTrainer(
            run: run, directory: directory.appendingPathComponent("unused"),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let batch = try trainer.data.batches.batch(
            of: Array(trainer.evaluationSet.samples.prefix(2)))
        var generator = SeededGenerator(seed: 2)
        let fusion = Tensor.randomNormal([2, 1, model.hiddenSize], standardDeviation: 1, using: &generator)
        let deep = (0..<2).map { _ in
            Tensor.randomNormal([2, 2, model.hiddenSize], standardDeviation: 1, using: &generator)
        }
        var context = ForwardContext.evaluation
        let fused = withGradientsDisabled {
            network.fuse(
                video: network.encodeVideo(batch, context: &context), batch: batch,
                prompts: PromptInputs(fusion: fusion, deep: deep), context: &context)
        }
        let words = batch.textMask.shape[1]
        #expect(fused.shape == [2, 1 + 1 + 2 + batch.clipCount + words, model.hiddenSize])
        // The gradient reaching the deep prompts of both layers matches central differences.
        let check = gradientCheckOfDeepPrompts(network, batch: batch, fusion: fusion, deep: deep)
        #expect(check.passed, "\(check)")
    }

    func gradientCheckOfDeepPrompts(
        _ model: GroundingModel, batch: GroundingBatch, fusion: Tensor, deep: [Tensor]
    ) -> GradientCheckResult {
        gradientCheck(deep, epsilon: 1e-2, relativeTolerance: 5e-2, absoluteTolerance: 5e-3) {
            prompts in
            var context = ForwardContext.evaluation
            // The inside logits: the start/end logits of padded clips hold −1e9, which would
            // swamp the finite differences.
            return model(batch, prompts: PromptInputs(fusion: fusion, deep: prompts), context: &context)
                .inside
        }
    }
}

@Suite struct VideoTextMatchingTests {
    /// Four moments of three videos: samples 0 and 1 share video A.
    static let samples = [("A", "a person opens a door"), ("A", "a person sits down"),
        ("B", "someone drinks from a cup"), ("C", "a man reads a book")]
        .enumerated().map { index, pair in
            GroundingSample(
                queryID: index, videoID: pair.0, durationSeconds: 30, query: pair.1,
                targets: [TimeSpan(startSeconds: 3, endSeconds: 9)])
        }

    @Test func violetPairsEveryMomentWithExactlyOneNegativeOfAnotherVideo() {
        var generator = SeededGenerator(seed: 11)
        let pairs = VideoTextMatching.pairs(for: Self.samples, style: .violet, using: &generator)
        #expect(pairs.count == 8)
        #expect(Array(pairs.prefix(4)) == (0..<4).map {
            MatchingPair(videoIndex: $0, textIndex: $0, isMatch: true)
        })
        let negatives = Array(pairs.suffix(4))
        #expect(negatives.map(\.videoIndex) == [0, 1, 2, 3])  // one per positive, video kept
        for pair in negatives {
            #expect(!pair.isMatch)
            #expect(Self.samples[pair.textIndex].videoID != Self.samples[pair.videoIndex].videoID)
        }
        // A batch of one video has no negative to draw.
        let alone = VideoTextMatching.pairs(
            for: Array(Self.samples.prefix(2)), style: .violet, using: &generator)
        #expect(alone.allSatisfy(\.isMatch) && alone.count == 2)
    }

    @Test func allInOneSwapsTheMomentWithProbabilityOneHalf() {
        var generator = SeededGenerator(seed: 12)
        var swapped = 0
        var total = 0
        for _ in 0..<500 {
            let pairs = VideoTextMatching.pairs(for: Self.samples, style: .allinone, using: &generator)
            #expect(pairs.map(\.textIndex) == [0, 1, 2, 3])  // every sentence exactly once
            for pair in pairs {
                if pair.isMatch {
                    #expect(pair.videoIndex == pair.textIndex)
                } else {
                    #expect(Self.samples[pair.videoIndex].videoID
                        != Self.samples[pair.textIndex].videoID)
                    swapped += 1
                }
                total += 1
            }
        }
        // 2000 fair draws: the share is 0.5 ± 0.011 (one standard deviation).
        #expect(abs(Double(swapped) / Double(total) - 0.5) < 0.04)
        var again = SeededGenerator(seed: 12)
        var first = SeededGenerator(seed: 12)
        #expect(VideoTextMatching.pairs(for: Self.samples, style: .allinone, using: &again)
            == VideoTextMatching.pairs(for: Self.samples, style: .allinone, using: &first))
    }

    @Test func theLossesEqualHandComputedValues() {
        // VIOLET: −(mean over positives of log σ(b) + mean over negatives of log(1 − σ(b))).
        // log σ(2) = −0.126928, log σ(−1) = −1.313262; log(1 − σ(0.5)) = log σ(−0.5) = −0.974077,
        // log(1 − σ(−3)) = log σ(3) = −0.048587 → (0.126928 + 1.313262)/2 + (0.974077 +
        // 0.048587)/2 = 0.720095 + 0.511332 = 1.231427.
        let violet = VideoTextMatching.loss(
            logits: Tensor(shape: [4], scalars: [2, -1, 0.5, -3]),
            isMatch: [true, true, false, false], style: .violet)
        #expect(abs(violet.item - 1.231427) < 1e-5)
        // All-in-One: mean NLL of the two-class softmax. Row [1, 2], match (class 1):
        // log(e + e²) − 2 = 0.313262; row [0.5, −0.5], no match (class 0):
        // log(e^0.5 + e^−0.5) − 0.5 = 0.313262.
        let allinone = VideoTextMatching.loss(
            logits: Tensor(shape: [2, 2], scalars: [1, 2, 0.5, -0.5]), isMatch: [true, false],
            style: .allinone)
        #expect(abs(allinone.item - 0.313262) < 1e-5)
        // Stable at extreme logits (log σ(−100) = −100 exactly in float32 terms).
        let extreme = VideoTextMatching.loss(
            logits: Tensor(shape: [2], scalars: [-100, 100]), isMatch: [true, false],
            style: .violet)
        #expect(abs(extreme.item - 200) < 1e-3)
    }

    @Test func momentsKeepTheirPositionInTheVideo() {
        let features = ClipFeatures(
            values: (0..<30).map(Float.init), clipCount: 30, featureDimension: 1)
        // Moment [3, 9] s of 30 s on 30 clips, 10 % context: [2.4, 9.6] s → clips 2...9.
        let moment = VideoTextMatching.momentFeatures(
            of: Self.samples[0], in: features, contextFraction: 0.1)
        #expect(moment.firstClip == 2)
        #expect(moment.features.values == (2...9).map(Float.init))
    }

    @Test(arguments: VideoTextMatchingStyle.allCases)
    func matchingLossFallsOnOneBatchAndPretrainingWritesABackbone(
        style: VideoTextMatchingStyle
    ) throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var run = try tinyRun(in: directory, epochs: 1)
        run.stage = .pretrain
        run.pretraining = PretrainingConfiguration(style: style, clipMatchingWeight: 0)
        let trainer = try VideoTextMatchingTrainer(
            run: run, directory: directory.appendingPathComponent(style.rawValue),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let summary = try trainer.train(resume: false)
        let names = try CheckpointFile(summary.backbone).tensorNames
        #expect(names.allSatisfy(GroundingNetwork.isBackbone))
        #expect(names.contains("fusion.cls_token"))

        // One fixed batch of 8 moments and its pairs, 60 AdamW steps at lr 1e-3 without
        // dropout: the loss starts near chance (2·log 2 ≈ 1.39 for VIOLET's two means,
        // log 2 ≈ 0.69 for All-in-One) and falls below a fifth of it.
        let samples = Array(trainer.trainSet.samples.prefix(8))
        var generator = SeededGenerator(seed: 1)
        let pairs = VideoTextMatching.pairs(for: samples, style: style, using: &generator)
        #expect(pairs.contains { !$0.isMatch })
        let optimizer = AdamW(groups: ParameterGroup.standard(
            trainer.network.parameters, learningRate: 1e-3, weightDecay: 0))
        var losses: [Float] = []
        for _ in 0..<60 {
            var context = ForwardContext.evaluation
            let loss = VideoTextMatching.loss(
                logits: try trainer.logits(pairs, samples: samples, context: &context),
                isMatch: pairs.map(\.isMatch), style: style)
            loss.backward()
            optimizer.step()
            optimizer.zeroGradients()
            losses.append(loss.item)
        }
        let chance: Float = style == .violet ? 2 * log(2) : log(2)
        #expect(abs(losses[0] - chance) < 0.5 * chance, "\(losses[0])")
        #expect(losses[59] < 0.2 * chance, "\(losses[59])")
    }
}
