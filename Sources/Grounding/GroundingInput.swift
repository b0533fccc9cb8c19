/// An input a user gives the grounding library, named in the library's words. Errors about an
/// input carry it, so that a front end can say it in its own words (the command line names its
/// flag); `description` is the library's own wording.
public enum GroundingInput: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The dataset whose annotation layout is read.
    case dataset
    /// The directory of annotation files.
    case annotations
    /// The clip features: a folder of per-video files, one video's file, or an HDF5 file.
    case features
    /// The array name inside `.npz` files or the HDF5 group member.
    case featureKey
    /// The video inside an HDF5 features file.
    case videoID
    /// A video's duration in seconds.
    case duration
    /// A video file to ground queries in (its features are extracted).
    case video
    /// The CLIP model folder that extracts a video file's features.
    case clipModel
    /// Clips between the starts of neighbouring windows over a long video.
    case windowStride
    /// The precision of the frozen encoders' products (float32, bf16, int8).
    case precision
    /// A sentence to ground.
    case query
    /// How many spans to return per query.
    case spanCount
    /// A run directory: the one to evaluate, ground with, or resume.
    case runDirectory
    /// The pretraining run a grounding run starts from.
    case pretrainingRun
    /// The training stage.
    case stage
    /// What a grounding run trains (everything, or prompts and the span head).
    case tuning
    /// Which text encoder a new model gets.
    case textEncoder
    /// Transformer layers of the from-scratch text encoder.
    case scratchTextLayerCount
    /// Soft-prompt tokens in the text encoder.
    case textPromptLength
    /// Learned tokens at the fusion input.
    case fusionPromptLength
    /// Learned tokens at every fusion layer's input.
    case deepPromptLength
    /// How prompt vectors start.
    case promptInitialization
    /// The number of prompts K.
    case promptCount
    /// How K prompts are trained and combined.
    case ensemble
    /// The one prompt used at test time.
    case testPrompt
    /// How the fusion and deep prompt vectors are rescaled.
    case promptNormalization
    /// The bottleneck width of the MLP reparameterising the prompts while training.
    case promptEncoderWidth
    /// The width of the span head's hidden layers.
    case headWidth
    /// The fraction of the steps spent warming the learning rate up.
    case warmupFraction
    /// Training epochs.
    case epochs
    /// Samples per batch.
    case batchSize
    /// The peak learning rate.
    case learningRate
    /// The learning rate of the prompt vectors.
    case promptLearningRate
    /// The learning rate of LoRA updates.
    case adapterLearningRate
    /// AdamW's weight decay.
    case weightDecay
    /// The weight of the inside-the-moment loss.
    case insideLossWeight
    /// The weight of the mismatched-query loss.
    case mismatchedQueryWeight
    /// The worker threads of the numeric engine.
    case threads
    /// The seed of initialisation, shuffling, dropout and DropKey.
    case seed
    /// The metric that picks the best checkpoint.
    case bestMetric
    /// Permission to replace the run already in the run directory.
    case overwrite
    /// The settings a resumed run may change.
    case allowedChanges
    /// The model's width.
    case hiddenSize
    /// Fusion transformer layers.
    case fusionLayerCount
    /// Video-only transformer layers.
    case videoLayerCount
    /// Dropout on embeddings and hidden states.
    case dropout
    /// The first fusion layer's DropKey probability.
    case dropKey
    /// Ordinary attention-dropout probability of the fusion layers.
    case attentionDropout
    /// The rank of LoRA updates.
    case loraRank
    /// LoRA's alpha.
    case loraAlpha
    /// Dropout on LoRA updates' input.
    case loraDropout
    /// The projections LoRA adapts.
    case loraTargets
    /// The fraction of training videos carved out for validation.
    case validationFraction
    /// Epochs without improvement before training stops.
    case earlyStoppingPatience
    /// The study's number of seeds.
    case seedCount
    /// Epochs of the study's pretraining runs.
    case pretrainingEpochs
    /// Videos of a synthetic benchmark.
    case syntheticVideos
    /// Feature noise of a synthetic benchmark.
    case syntheticNoise
    /// The study's variants.
    case studyVariants

    /// The input in the library's words, e.g. "the number of epochs".
    public var description: String {
        switch self {
        case .dataset: return "the dataset"
        case .annotations: return "the annotations directory"
        case .features: return "the clip features"
        case .featureKey: return "the features' array name"
        case .videoID: return "the video id"
        case .duration: return "the video's duration"
        case .video: return "the video file"
        case .clipModel: return "the CLIP model folder"
        case .windowStride: return "the windows' stride in clips"
        case .precision: return "the encoders' precision"
        case .query: return "the query"
        case .spanCount: return "the number of spans per query"
        case .runDirectory: return "the run directory"
        case .pretrainingRun: return "the pretraining run to start from"
        case .stage: return "the training stage"
        case .tuning: return "the tuning mode"
        case .textEncoder: return "the text encoder"
        case .scratchTextLayerCount: return "the from-scratch text encoder's layer count"
        case .textPromptLength: return "the text prompt length"
        case .fusionPromptLength: return "the fusion prompt length"
        case .deepPromptLength: return "the deep prompt length"
        case .promptInitialization: return "the prompt initialisation"
        case .promptCount: return "the number of prompts"
        case .ensemble: return "the ensemble mode"
        case .testPrompt: return "the test-time prompt"
        case .promptNormalization: return "the prompt normalisation"
        case .promptEncoderWidth: return "the prompt encoder's width"
        case .headWidth: return "the span head's width"
        case .warmupFraction: return "the warm-up fraction"
        case .epochs: return "the number of epochs"
        case .batchSize: return "the batch size"
        case .learningRate: return "the learning rate"
        case .promptLearningRate: return "the prompt learning rate"
        case .adapterLearningRate: return "the adapter learning rate"
        case .weightDecay: return "the weight decay"
        case .insideLossWeight: return "the inside-the-moment loss weight"
        case .mismatchedQueryWeight: return "the mismatched-query loss weight"
        case .threads: return "the number of worker threads"
        case .seed: return "the seed"
        case .bestMetric: return "the metric that picks the best checkpoint"
        case .overwrite: return "permission to overwrite"
        case .allowedChanges: return "allowing the change of"
        case .hiddenSize: return "the hidden size"
        case .fusionLayerCount: return "the number of fusion layers"
        case .videoLayerCount: return "the number of video layers"
        case .dropout: return "the dropout probability"
        case .dropKey: return "the DropKey probability"
        case .attentionDropout: return "the attention-dropout probability"
        case .loraRank: return "the LoRA rank"
        case .loraAlpha: return "the LoRA alpha"
        case .loraDropout: return "the LoRA dropout probability"
        case .loraTargets: return "the LoRA target modules"
        case .validationFraction: return "the validation fraction"
        case .earlyStoppingPatience: return "the early-stopping patience"
        case .seedCount: return "the number of seeds"
        case .pretrainingEpochs: return "the number of pretraining epochs"
        case .syntheticVideos: return "the number of synthetic videos"
        case .syntheticNoise: return "the synthetic feature noise"
        case .studyVariants: return "the study's variants"
        }
    }
}
