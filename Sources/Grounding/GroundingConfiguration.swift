import Datasets
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
    /// Transformer layers of the from-scratch text encoder (nil: 1).
    public var scratchTextLayerCount: Int?

    /// The video encoder's attention regularisation of runs whose configuration does not
    /// record it (saved before it became configurable), and the default: DropKey 0.1 in every
    /// layer, the value it had in code.
    public static let defaultVideoAttentionDropout = AttentionDropoutSchedule.constant(
        .dropKey(probability: 0.1))

    /// A configuration; unspecified sizes take the small fusion transformer's defaults and
    /// `maxSpanClips` defaults to `maxClips`.
    public init(
        featureDimension: Int, featureKind: String, maxClips: Int, hiddenSize: Int = 256,
        headCount: Int = 4, intermediateSize: Int = 1024, videoLayerCount: Int = 1,
        fusionLayerCount: Int = 2, dropout: Float = 0.1,
        fusionAttentionDropout: AttentionDropoutSchedule = .linearDropKey(first: 0.15, last: 0.05),
        videoAttentionDropout: AttentionDropoutSchedule = defaultVideoAttentionDropout,
        textStateSize: Int = 384, maxSpanClips: Int? = nil
    ) {
        self.featureDimension = featureDimension
        self.featureKind = featureKind
        self.maxClips = maxClips
        self.hiddenSize = hiddenSize
        self.headCount = headCount
        self.intermediateSize = intermediateSize
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
        case scratchTextLayerCount
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

/// How a grounding model is trained.
public struct GroundingTrainingConfiguration: Codable, Sendable, Equatable {
    /// Passes over the training split.
    public var epochs: Int
    /// Samples per optimiser step.
    public var batchSize: Int
    /// The peak learning rate (after warm-up).
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
    /// The metric that picks the best checkpoint ("R1@0.5" by default; any key of the report).
    public var bestMetric: String
    /// Weight of the mismatched-query loss: each video is also shown with another sample's
    /// query (of another video) and every clip's inside logit is pushed towards 0, so that the
    /// answer must come from the query, not from recognising the video. 0 turns it off.
    public var mismatchedQueryWeight: Float
    /// The learning rate of soft-prompt vectors (nil: `learningRate`); prompt tuning usually
    /// wants a larger one than the head.
    public var promptLearningRate: Float?

    /// A configuration; unspecified settings take their defaults.
    public init(
        epochs: Int = 20, batchSize: Int = 16, learningRate: Float = 5e-4,
        weightDecay: Float = 0.01, warmupFraction: Float = 0.05, gradientClipNorm: Float = 1,
        seed: UInt64 = 1, boundaryLossWeight: Float = 1, insideLossWeight: Float = 1,
        insideExtension: Double = 0.1, bestMetric: String = "R1@0.5",
        mismatchedQueryWeight: Float = 0, promptLearningRate: Float? = nil
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
    }

    private enum CodingKeys: String, CodingKey {
        case epochs, batchSize, learningRate, weightDecay, warmupFraction, gradientClipNorm, seed
        case boundaryLossWeight, insideLossWeight, insideExtension, bestMetric
        case mismatchedQueryWeight, promptLearningRate
    }

    /// Decodes a configuration; runs saved before `mismatchedQueryWeight` existed read it as 0.
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
        bestMetric = try container.decode(String.self, forKey: .bestMetric)
        mismatchedQueryWeight =
            try container.decodeIfPresent(Float.self, forKey: .mismatchedQueryWeight) ?? 0
        promptLearningRate = try container.decodeIfPresent(Float.self, forKey: .promptLearningRate)
    }
}
