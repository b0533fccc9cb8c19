import Datasets
import Metrics
import NeuralNet
import VTGCore

/// The shape of a grounding model: everything needed to rebuild it from a checkpoint.
/// Saved as JSON in every checkpoint's metadata.
public struct GroundingModelConfiguration: Codable, Sendable, Equatable {
    /// Width of one clip feature (1024 for I3D, 500 for ActivityNet's C3D PCA, ...).
    public var featureDimension: Int
    /// What the clip features are (e.g. "i3d", "synthetic"), recorded so that `ground` can
    /// refuse features of another kind.
    public var featureKind: String
    /// Videos are resampled to at most this many clips.
    public var maxClips: Int
    /// Width of the model's tokens.
    public var hiddenSize: Int
    /// Attention heads in every layer.
    public var headCount: Int
    /// Feed-forward width in every layer.
    public var intermediateSize: Int
    /// Transformer layers over the video alone, before fusion.
    public var videoLayerCount: Int
    /// Transformer layers over [CLS] + video + text.
    public var fusionLayerCount: Int
    /// Dropout on embeddings and hidden states.
    public var dropout: Float
    /// Attention regularisation across the fusion layers (DropKey by default).
    public var fusionAttentionDropout: AttentionDropoutSchedule
    /// Attention regularisation across the video encoder's layers (DropKey 0.1 in every layer
    /// by default, and for runs saved before it was recorded: it was fixed in code then).
    public var videoAttentionDropout: AttentionDropoutSchedule
    /// Width of the frozen text encoder's token states (384 for MiniLM).
    public var textStateSize: Int
    /// Longest span the decoder considers, in clips.
    public var maxSpanClips: Int
    /// The from-scratch text encoder, when set (a comparison option): trainable word
    /// embeddings over this many vocabulary rows and `scratchTextLayerCount` transformer layers
    /// replace the frozen MiniLM states. Nil (the default): frozen MiniLM.
    public var scratchTextVocabularySize: Int?
    /// Transformer layers of the from-scratch text encoder (with `scratchTextVocabularySize`).
    public var scratchTextLayerCount: Int?
    /// `.clip` when the frozen states come from CLIP's text tower (the run's text model path is
    /// then a CLIP model folder); nil: MiniLM, or the from-scratch encoder when
    /// `scratchTextVocabularySize` is set.
    public var textEncoder: TextEncoderKind?
    /// The width of the span head's hidden layers (nil: `hiddenSize`). Not part of the
    /// pre-trained backbone: a grounding run may narrow the head it trains.
    public var headWidth: Int?

    /// The span head of a prompt-tuned or LoRA run is this many times narrower than the model
    /// (64 of 256 wide) unless the run names a width: measured in `Docs/peft-experiments.md`,
    /// the narrower head is better on validation (and test) over three seeds of the noise-3
    /// study with under a third of the head's parameters (prompt tuning trains 1.37 % of the
    /// model, not 4.95 %), and it leaves LoRA the budget to adapt every projection.
    public static let parameterEfficientHeadWidthDivisor = 4

    /// The span head's width of a run of `tuning` that names none: the model's width, but
    /// `hiddenSize / parameterEfficientHeadWidthDivisor` for prompt and LoRA tuning.
    public func standardHeadWidth(for tuning: TuningMode) -> Int? {
        tuning == .prompt || tuning == .lora
            ? max(1, hiddenSize / Self.parameterEfficientHeadWidthDivisor) : nil
    }

    /// A new model's width.
    public static let standardHiddenSize = 256
    /// Attention heads of every layer of a new model; the width must be a multiple of it.
    public static let standardHeadCount = 4
    /// A new model's feed-forward width, as a multiple of its width.
    public static let feedForwardMultiplier = 4
    /// Transformer layers over the video alone in a new model.
    public static let standardVideoLayerCount = 1
    /// Fusion layers of a new model (some datasets' defaults have more: `defaults(for:...)`).
    public static let standardFusionLayerCount = 2
    /// Dropout on embeddings and hidden states of a new model.
    public static let standardDropout: Float = 0.1
    /// DropKey probability of a new model's first fusion layer.
    public static let standardFusionDropKey: Float = 0.15
    /// Transformer layers of a new from-scratch text encoder.
    public static let standardScratchTextLayerCount = 1

    /// The video encoder's attention regularisation of runs whose configuration does not
    /// record it (saved before it became configurable), and the default: DropKey 0.1 in every
    /// layer, the value it had in code.
    public static let defaultVideoAttentionDropout = AttentionDropoutSchedule.constant(
        .dropKey(probability: 0.1))

    /// DropKey across the fusion layers: `firstLayer` in the first, decreasing linearly to a
    /// third of it in the last (DropKey's authors found a decreasing schedule best).
    public static func fusionDropKey(firstLayer: Float) -> AttentionDropoutSchedule {
        .linearDropKey(first: firstLayer, last: firstLayer / 3)
    }

    /// A model configuration; `intermediateSize` nil: `feedForwardMultiplier` × `hiddenSize`,
    /// `maxSpanClips` nil: `maxClips`.
    public init(
        featureDimension: Int, featureKind: String, maxClips: Int,
        hiddenSize: Int = Self.standardHiddenSize, headCount: Int = Self.standardHeadCount,
        intermediateSize: Int? = nil, videoLayerCount: Int = Self.standardVideoLayerCount,
        fusionLayerCount: Int = Self.standardFusionLayerCount,
        dropout: Float = Self.standardDropout,
        fusionAttentionDropout: AttentionDropoutSchedule = Self.fusionDropKey(
            firstLayer: Self.standardFusionDropKey),
        videoAttentionDropout: AttentionDropoutSchedule = Self.defaultVideoAttentionDropout,
        textStateSize: Int = 384, maxSpanClips: Int? = nil
    ) {
        self.featureDimension = featureDimension
        self.featureKind = featureKind
        self.maxClips = maxClips
        self.hiddenSize = hiddenSize
        self.headCount = headCount
        self.intermediateSize = intermediateSize ?? Self.feedForwardMultiplier * hiddenSize
        self.videoLayerCount = videoLayerCount
        self.fusionLayerCount = fusionLayerCount
        self.dropout = dropout
        self.fusionAttentionDropout = fusionAttentionDropout
        self.videoAttentionDropout = videoAttentionDropout
        self.textStateSize = textStateSize
        self.maxSpanClips = maxSpanClips ?? maxClips
    }

    private enum CodingKeys: String, CodingKey {
        case featureDimension, featureKind, maxClips, hiddenSize, headCount, intermediateSize
        case videoLayerCount, fusionLayerCount, dropout, fusionAttentionDropout
        case videoAttentionDropout, textStateSize, maxSpanClips, scratchTextVocabularySize
        case scratchTextLayerCount, textEncoder, headWidth
    }

    /// Decodes a configuration; runs saved before `videoAttentionDropout` existed read it as
    /// `defaultVideoAttentionDropout`, what they were trained with.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            featureDimension: try values.decode(Int.self, forKey: .featureDimension),
            featureKind: try values.decode(String.self, forKey: .featureKind),
            maxClips: try values.decode(Int.self, forKey: .maxClips),
            hiddenSize: try values.decode(Int.self, forKey: .hiddenSize),
            headCount: try values.decode(Int.self, forKey: .headCount),
            intermediateSize: try values.decode(Int.self, forKey: .intermediateSize),
            videoLayerCount: try values.decode(Int.self, forKey: .videoLayerCount),
            fusionLayerCount: try values.decode(Int.self, forKey: .fusionLayerCount),
            dropout: try values.decode(Float.self, forKey: .dropout),
            fusionAttentionDropout: try values.decode(
                AttentionDropoutSchedule.self, forKey: .fusionAttentionDropout),
            videoAttentionDropout: try values.decodeIfPresent(
                AttentionDropoutSchedule.self, forKey: .videoAttentionDropout)
                ?? Self.defaultVideoAttentionDropout,
            textStateSize: try values.decode(Int.self, forKey: .textStateSize),
            maxSpanClips: try values.decode(Int.self, forKey: .maxSpanClips))
        scratchTextVocabularySize = try values.decodeIfPresent(
            Int.self, forKey: .scratchTextVocabularySize)
        scratchTextLayerCount = try values.decodeIfPresent(
            Int.self, forKey: .scratchTextLayerCount)
        textEncoder = try values.decodeIfPresent(TextEncoderKind.self, forKey: .textEncoder)
        headWidth = try values.decodeIfPresent(Int.self, forKey: .headWidth)
    }

    /// Sets the width and, with it, the feed-forward width (`feedForwardMultiplier` × width).
    public mutating func setHiddenSize(_ size: Int) {
        hiddenSize = size
        intermediateSize = Self.feedForwardMultiplier * size
    }

    /// Typed defaults for each benchmark, following the sizes its usual models use
    /// (VSLNet / 2D-TAN clip counts; a small fusion transformer).
    public static func defaults(
        for dataset: DatasetName, featureDimension: Int, featureKind: String
    ) -> GroundingModelConfiguration {
        switch dataset {
        case .charadesSTA:
            return GroundingModelConfiguration(
                featureDimension: featureDimension, featureKind: featureKind, maxClips: 64)
        case .activityNet:
            return GroundingModelConfiguration(
                featureDimension: featureDimension, featureKind: featureKind, maxClips: 100,
                fusionLayerCount: 3)
        case .tacos:
            return GroundingModelConfiguration(
                featureDimension: featureDimension, featureKind: featureKind, maxClips: 128,
                fusionLayerCount: 3, maxSpanClips: 64)
        case .qvHighlights:
            return GroundingModelConfiguration(
                featureDimension: featureDimension, featureKind: featureKind, maxClips: 75)
        }
    }
}

/// How a grounding model is trained. `GroundingTrainingConfiguration()` holds the library's
/// defaults (`defaults`).
public struct GroundingTrainingConfiguration: Codable, Sendable, Equatable {
    /// Passes over the training split.
    public var epochs: Int
    /// Samples per optimiser step.
    public var batchSize: Int
    /// Peak learning rate (AdamW, linear warm-up then linear decay to 0).
    public var learningRate: Float
    /// AdamW's decoupled weight decay.
    public var weightDecay: Float
    /// Fraction of all steps spent warming the learning rate up (then linear decay to 0).
    public var warmupFraction: Float
    /// Gradients are clipped to this global norm.
    public var gradientClipNorm: Float
    /// Seeds initialisation, shuffling, dropout and DropKey.
    public var seed: UInt64
    /// Weight of the start and end cross-entropies (each).
    public var boundaryLossWeight: Float
    /// Weight of the inside-the-moment binary cross-entropy.
    public var insideLossWeight: Float
    /// The inside labels extend the target span by this fraction of its length on each side
    /// (query-guided highlighting, as VSLNet).
    public var insideExtension: Double
    /// The metric that picks the best checkpoint (R@1 at IoU 0.5 by default); stored in
    /// `run.json` by its short name (`"R1@0.5"`).
    public var bestMetric: MetricKey
    /// Weight of the mismatched-query loss: each video is also shown with another sample's
    /// query (of another video) and every clip's inside logit is pushed towards 0, so that the
    /// answer must come from the query, not from recognising the video. 0 turns it off.
    public var mismatchedQueryWeight: Float
    /// The learning rate of soft-prompt vectors (nil: `learningRate`); prompt tuning usually
    /// wants a larger one than the head.
    public var promptLearningRate: Float?
    /// The learning rate of LoRA updates (nil: `learningRate`).
    public var adapterLearningRate: Float?
    /// Which split picks the best epoch (`validation` by default; runs saved before it was
    /// recorded read `bestOnTest`, what they did).
    public var selection: ModelSelection
    /// The fraction of training videos carved out for validation when the benchmark has no
    /// official validation split.
    public var validationFraction: Double
    /// Training stops once this many epochs in a row have not improved the selection metric
    /// (nil: every epoch is trained; runs saved before it was recorded read nil).
    public var earlyStoppingPatience: Int?

    /// The learning rate of LoRA updates when a LoRA run names none: the study's `learningRate`.
    /// With updates on every projection (`LowRankAdaptationConfiguration.grounding`) 1e-2
    /// collapses every seed to a constant prediction, 1e-3 is the best LoRA setting measured
    /// (`Docs/peft-experiments.md`, third session; 1e-2 suited the earlier default of two
    /// adapted input projections).
    public static let standardAdapterLearningRate: Float = 1e-3

    /// Epochs without improvement a default run tolerates before it stops.
    public static let standardEarlyStoppingPatience = 3

    /// The library's defaults.
    public static let defaults = GroundingTrainingConfiguration()

    /// A training configuration; every argument left out takes the library's default.
    public init(
        epochs: Int = 20, batchSize: Int = 16, learningRate: Float = 5e-4,
        weightDecay: Float = 0.01, warmupFraction: Float = 0.05, gradientClipNorm: Float = 1,
        seed: UInt64 = 1, boundaryLossWeight: Float = 1, insideLossWeight: Float = 1,
        insideExtension: Double = 0.1,
        bestMetric: MetricKey = .recallAtOne(iouThreshold: 0.5),
        mismatchedQueryWeight: Float = 0, promptLearningRate: Float? = nil,
        adapterLearningRate: Float? = nil,
        selection: ModelSelection = .validation,
        validationFraction: Double = ValidationSplit.standardFraction,
        earlyStoppingPatience: Int? = Self.standardEarlyStoppingPatience
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.warmupFraction = warmupFraction
        self.gradientClipNorm = gradientClipNorm
        self.seed = seed
        self.boundaryLossWeight = boundaryLossWeight
        self.insideLossWeight = insideLossWeight
        self.insideExtension = insideExtension
        self.bestMetric = bestMetric
        self.mismatchedQueryWeight = mismatchedQueryWeight
        self.promptLearningRate = promptLearningRate
        self.adapterLearningRate = adapterLearningRate
        self.selection = selection
        self.validationFraction = validationFraction
        self.earlyStoppingPatience = earlyStoppingPatience
    }

    /// Early stopping as configured (nil: off).
    public var earlyStopping: EarlyStopping? {
        earlyStoppingPatience.map { EarlyStopping(patience: $0) }
    }

    private enum CodingKeys: String, CodingKey {
        case epochs, batchSize, learningRate, weightDecay, warmupFraction, gradientClipNorm, seed
        case boundaryLossWeight, insideLossWeight, insideExtension, bestMetric
        case mismatchedQueryWeight, promptLearningRate, adapterLearningRate, selection
        case validationFraction
        case earlyStoppingPatience
    }

    /// Decodes a configuration; runs saved before `mismatchedQueryWeight` existed read it as 0,
    /// before model selection was recorded, best on test without early stopping.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try container.decode(Int.self, forKey: .epochs)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        learningRate = try container.decode(Float.self, forKey: .learningRate)
        weightDecay = try container.decode(Float.self, forKey: .weightDecay)
        warmupFraction = try container.decode(Float.self, forKey: .warmupFraction)
        gradientClipNorm = try container.decode(Float.self, forKey: .gradientClipNorm)
        seed = try container.decode(UInt64.self, forKey: .seed)
        boundaryLossWeight = try container.decode(Float.self, forKey: .boundaryLossWeight)
        insideLossWeight = try container.decode(Float.self, forKey: .insideLossWeight)
        insideExtension = try container.decode(Double.self, forKey: .insideExtension)
        bestMetric = try container.decode(MetricKey.self, forKey: .bestMetric)
        mismatchedQueryWeight =
            try container.decodeIfPresent(Float.self, forKey: .mismatchedQueryWeight) ?? 0
        promptLearningRate = try container.decodeIfPresent(Float.self, forKey: .promptLearningRate)
        adapterLearningRate = try container.decodeIfPresent(
            Float.self, forKey: .adapterLearningRate)
        selection =
            try container.decodeIfPresent(ModelSelection.self, forKey: .selection) ?? .bestOnTest
        validationFraction =
            try container.decodeIfPresent(Double.self, forKey: .validationFraction)
            ?? ValidationSplit.standardFraction
        earlyStoppingPatience = try container.decodeIfPresent(
            Int.self, forKey: .earlyStoppingPatience)
    }
}
