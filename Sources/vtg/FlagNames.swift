import Grounding
import VTGCore

/// The command line's name for each input of the grounding library, used to say library errors
/// in flags.
enum FlagNames {
    /// The flag that gives `input` on most commands (`renaming` overrides it per command).
    static func flag(_ input: GroundingInput) -> String {
        switch input {
        case .dataset: return "--dataset"
        case .annotations: return "--annotations"
        case .features: return "--features"
        case .featureKey: return "--feature-key"
        case .videoID: return "--video-id"
        case .duration: return "--duration"
        case .video: return "--video"
        case .clipModel: return "--clip-model"
        case .windowStride: return "--window-stride"
        case .query: return "--query"
        case .spanCount: return "--top-k"
        case .runDirectory: return "--run"
        case .pretrainingRun: return "--init"
        case .stage: return "--stage"
        case .tuning: return "--tuning"
        case .textEncoder: return "--text-encoder"
        case .scratchTextLayerCount: return "--scratch-text-layers"
        case .textPromptLength: return "--text-prompt"
        case .fusionPromptLength: return "--fusion-prompt"
        case .deepPromptLength: return "--deep-prompt"
        case .promptInitialization: return "--prompt-init"
        case .promptCount: return "--prompts"
        case .ensemble: return "--ensemble"
        case .testPrompt: return "--test-prompt"
        case .epochs: return "--epochs"
        case .batchSize: return "--batch-size"
        case .learningRate: return "--learning-rate"
        case .promptLearningRate: return "--prompt-learning-rate"
        case .weightDecay: return "--weight-decay"
        case .insideLossWeight: return "--inside-loss-weight"
        case .mismatchedQueryWeight: return "--mismatched-query-weight"
        case .threads: return "--threads"
        case .seed: return "--seed"
        case .bestMetric: return "--best-metric"
        case .overwrite: return "--overwrite"
        case .allowedChanges: return "--allow-change"
        case .hiddenSize: return "--hidden-size"
        case .fusionLayerCount: return "--fusion-layers"
        case .videoLayerCount: return "--video-layers"
        case .dropout: return "--dropout"
        case .dropKey: return "--drop-key"
        case .attentionDropout: return "--attention-dropout"
        case .loraRank: return "--lora-rank"
        case .loraAlpha: return "--lora-alpha"
        case .loraDropout: return "--lora-dropout"
        case .loraTargets: return "--lora-targets"
        case .validationFraction: return "--validation-fraction"
        case .earlyStoppingPatience: return "--patience"
        case .seedCount: return "--seeds"
        case .pretrainingEpochs: return "--pretrain-epochs"
        case .syntheticVideos: return "--videos"
        case .syntheticNoise: return "--noise"
        }
    }
}
