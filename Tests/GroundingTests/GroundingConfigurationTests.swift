import Datasets
import Foundation
import NeuralNet
import Tensors
import Testing
import VTGCore

@testable import Grounding

@Suite struct GroundingModelConfigurationTests {
    /// A `run.json` as `vtg train` wrote it before the video encoder's attention
    /// regularisation was part of the model configuration (it was DropKey 0.1 in code).
    static let savedBeforeVideoAttentionDropout = #"""
        {
          "annotationsPath" : "\/runs\/tiny\/data",
          "dataset" : "charades-sta",
          "evaluationProtocol" : "vslnet",
          "evaluationSplit" : "test",
          "features" : {
            "format" : "npy-directory",
            "path" : "\/runs\/tiny\/data\/features"
          },
          "model" : {
            "dropout" : 0.1,
            "featureDimension" : 16,
            "featureKind" : "synthetic",
            "fusionAttentionDropout" : {
              "linearDropKey" : {
                "first" : 0.15,
                "last" : 0.05
              }
            },
            "fusionLayerCount" : 1,
            "headCount" : 2,
            "hiddenSize" : 32,
            "intermediateSize" : 64,
            "maxClips" : 32,
            "maxSpanClips" : 32,
            "textStateSize" : 24,
            "videoLayerCount" : 1
          },
          "trainSplit" : "train",
          "training" : {
            "batchSize" : 8,
            "bestMetric" : "R1@0.5",
            "boundaryLossWeight" : 1,
            "epochs" : 3,
            "gradientClipNorm" : 1,
            "insideExtension" : 0.1,
            "insideLossWeight" : 1,
            "learningRate" : 0.002,
            "mismatchedQueryWeight" : 0,
            "seed" : 3,
            "warmupFraction" : 0.05,
            "weightDecay" : 0.01
          }
        }
        """#

    @Test func aRunSavedBeforeVideoAttentionWasRecordedDecodesToWhatItTrainedWith() throws {
        let run = try GroundingRunConfiguration.decode(
            Self.savedBeforeVideoAttentionDropout, source: "run.json")
        #expect(run.model.videoAttentionDropout == .constant(.dropKey(probability: 0.1)))
        #expect(run.model.fusionAttentionDropout == .linearDropKey(first: 0.15, last: 0.05))
        #expect(run.model.hiddenSize == 32 && run.model.maxSpanClips == 32)
        #expect(run.model.scratchTextVocabularySize == nil)
        // Saved before model selection was recorded: best epoch on test, every epoch trained.
        #expect(run.training.selection == .bestOnTest)
        #expect(run.training.earlyStoppingPatience == nil)
        #expect(run.resolvedSelection == .bestOnTest && run.validation == nil)
        // Saved again, the value is written out and reads back the same.
        #expect(run.jsonText().contains("\"videoAttentionDropout\""))
        #expect(try GroundingRunConfiguration.decode(run.jsonText(), source: "again") == run)
    }

    @Test(arguments: [
        ("\"maxClips\" : 32,", "\"maxClips\" : 0,", "model.maxClips is 0; expected at least 1"),
        ("\"maxClips\" : 32,", "\"maxClips\" : -5,", "model.maxClips is -5"),
        ("\"headCount\" : 2,", "\"headCount\" : 3,",
         "model.headCount is 3; expected a divisor of model.hiddenSize (32)"),
        ("\"headCount\" : 2,", "\"headCount\" : 0,", "model.headCount is 0"),
        ("\"fusionLayerCount\" : 1,", "\"fusionLayerCount\" : 0,", "model.fusionLayerCount is 0"),
        ("\"hiddenSize\" : 32,", "\"hiddenSize\" : 0,", "model.hiddenSize is 0"),
        ("\"dropout\" : 0.1,", "\"dropout\" : 1.5,", "model.dropout is 1.5"),
        ("\"epochs\" : 3,", "\"epochs\" : 0,", "training.epochs is 0"),
        ("\"batchSize\" : 8,", "\"batchSize\" : -1,", "training.batchSize is -1"),
        ("\"learningRate\" : 0.002,", "\"learningRate\" : -0.002,", "training.learningRate"),
        ("\"warmupFraction\" : 0.05,", "\"warmupFraction\" : 2,", "training.warmupFraction"),
        ("\"gradientClipNorm\" : 1,", "\"gradientClipNorm\" : 0,", "training.gradientClipNorm"),
    ])
    func aHandEditedRunFileIsAnErrorNamingTheField(
        original: String, edited: String, message: String
    ) {
        let text = Self.savedBeforeVideoAttentionDropout.replacingOccurrences(
            of: original, with: edited)
        #expect(text != Self.savedBeforeVideoAttentionDropout)
        do {
            _ = try GroundingRunConfiguration.decode(text, source: "run.json")
            Issue.record("\(edited) must be refused")
        } catch {
            guard case .corruptRun(let path, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == "run.json")
            #expect(reason.contains(message), "\(reason)")
        }
    }

    @Test func aConfiguredScheduleIsSavedAndRead() throws {
        var model = GroundingModelConfiguration(
            featureDimension: 16, featureKind: "synthetic", maxClips: 32,
            videoAttentionDropout: .constant(.none))
        model.scratchTextVocabularySize = 50
        model.scratchTextLayerCount = 2
        let decoded = try JSONDecoder().decode(
            GroundingModelConfiguration.self, from: JSONEncoder().encode(model))
        #expect(decoded == model)
        #expect(decoded.videoAttentionDropout == .constant(.none))
    }

    @Test func theVideoEncoderUsesTheConfiguredRegularisation() {
        var configuration = GroundingModelConfiguration(
            featureDimension: 4, featureKind: "test", maxClips: 6, hiddenSize: 8, headCount: 2,
            intermediateSize: 16, videoLayerCount: 1, fusionLayerCount: 1, dropout: 0,
            textStateSize: 3)
        var generator = SeededGenerator(seed: 7)
        let features = ClipFeatures(
            values: (0..<24).map { _ in generator.nextNormal() }, clipCount: 6,
            featureDimension: 4)
        let batch = GroundingBatch(
            samples: [
                GroundingSample(
                    queryID: 0, videoID: "v", durationSeconds: 12, query: "q", targets: [])
            ],
            features: [features],
            states: [QueryStates(tokenCount: 2, stateSize: 3, values: [1, 0, 0, 0, 1, 0])])
        func videoStates(_ schedule: AttentionDropoutSchedule, isTraining: Bool) -> [Float] {
            configuration.videoAttentionDropout = schedule
            let model = GroundingModel(configuration, parameters: ParameterStore(seed: 1).root)
            var context = ForwardContext(
                isTraining: isTraining, generator: SeededGenerator(seed: 2))
            return withGradientsDisabled { model.encodeVideo(batch, context: &context).scalars }
        }
        let evaluation = videoStates(.constant(.none), isTraining: false)
        // Without regularisation (and dropout 0) training mode changes nothing ...
        #expect(videoStates(.constant(.none), isTraining: true) == evaluation)
        // ... with the default DropKey it drops keys in training and nothing in evaluation.
        let dropKey = GroundingModelConfiguration.defaultVideoAttentionDropout
        #expect(videoStates(dropKey, isTraining: true) != evaluation)
        #expect(videoStates(dropKey, isTraining: false) == evaluation)
    }
}
