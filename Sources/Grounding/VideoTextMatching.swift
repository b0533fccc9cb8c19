import Datasets
import NeuralNet
import Tensors
import VTGCore

/// One video-text matching example: the moment of sample `videoIndex` shown with the sentence
/// of sample `textIndex` (indices into a batch's samples).
public struct MatchingPair: Sendable, Equatable {
    /// The sample whose moment is shown.
    public var videoIndex: Int
    /// The sample whose sentence is shown.
    public var textIndex: Int
    /// True when the sentence describes the moment (a positive pair).
    public var isMatch: Bool

    /// A pair.
    public init(videoIndex: Int, textIndex: Int, isMatch: Bool) {
        self.videoIndex = videoIndex
        self.textIndex = textIndex
        self.isMatch = isMatch
    }
}

/// The head that scores a fused [CLS] state `[batch, hidden]` for video-text matching.
///
/// - VIOLET: Dropout(0.1) → Linear(d, 2d) → ReLU → Linear(2d, 1), one logit per pair
///   (`vtm_head.dense`, `vtm_head.output`).
/// - All-in-One: one Linear(d, 2) with weights ~ N(0, 0.02) and zero bias, two-class logits
///   (`vtm_head.classifier`).
public struct VideoTextMatchingHead {
    /// VIOLET's dropout before the head's first layer.
    static let violetDropoutProbability: Float = 0.1
    /// All-in-One's classifier weights start ~ N(0, this²).
    static let allInOneInitialStandardDeviation: Float = 0.02

    /// Which objective's head this is.
    public let style: VideoTextMatchingStyle
    let dropout = Dropout(probability: Self.violetDropoutProbability)
    let dense: Linear?
    let output: Linear

    /// The path component of the head's parameters (never part of a backbone file).
    public static let parameterPrefix = "vtm_head"

    /// Builds the head of `style` for states of width `hiddenSize` under `vtm_head` in
    /// `parameters`.
    public init(style: VideoTextMatchingStyle, hiddenSize: Int, parameters: ParameterScope) {
        self.style = style
        let scope = parameters.scope(Self.parameterPrefix)
        switch style {
        case .violet:
            dense = Linear(
                .init(inputSize: hiddenSize, outputSize: 2 * hiddenSize),
                parameters: scope.scope("dense"))
            output = Linear(
                .init(inputSize: 2 * hiddenSize, outputSize: 1), parameters: scope.scope("output"))
        case .allinone:
            dense = nil
            output = Linear(
                .init(
                    inputSize: hiddenSize, outputSize: 2,
                    initialization: .normal(
                        standardDeviation: Self.allInOneInitialStandardDeviation)),
                parameters: scope.scope("classifier"))
        }
    }

    /// VIOLET: `[batch]` logits; All-in-One: `[batch, 2]` logits (class 1 = match).
    public func callAsFunction(_ classification: Tensor, context: inout ForwardContext) -> Tensor {
        switch style {
        case .violet:
            guard let dense else { preconditionFailure("VideoTextMatchingHead: no dense layer") }
            let hidden = dense(dropout(classification, context: &context)).relu()
            return output(hidden).reshaped(to: [classification.shape[0]])
        case .allinone:
            return output(classification)
        }
    }
}

/// Pairing, losses and scores of the two video-text matching objectives.
public enum VideoTextMatching {
    /// A pair counts as classified a match when its match probability is above this.
    public static let matchThreshold: Float = 0.5

    /// The pairs of one batch of moment–sentence samples.
    ///
    /// - VIOLET: every sample as a positive (i, i), then for every sample one negative: its
    ///   moment with the sentence of a sample of a different video, drawn uniformly: exactly
    ///   one negative per positive (none for a sample whose video is the only one in the batch).
    /// - All-in-One: every sentence once; with probability 0.5 its moment is replaced by the
    ///   moment of a sample of a different video (a negative), else kept (a positive).
    public static func pairs(
        for samples: [GroundingSample], style: VideoTextMatchingStyle,
        using generator: inout SeededGenerator
    ) -> [MatchingPair] {
        let others = { (index: Int) in
            samples.indices.filter { samples[$0].videoID != samples[index].videoID }
        }
        switch style {
        case .violet:
            var pairs = samples.indices.map {
                MatchingPair(videoIndex: $0, textIndex: $0, isMatch: true)
            }
            for index in samples.indices {
                let candidates = others(index)
                guard !candidates.isEmpty else { continue }
                let other = candidates[Int.random(in: 0..<candidates.count, using: &generator)]
                pairs.append(MatchingPair(videoIndex: index, textIndex: other, isMatch: false))
            }
            return pairs
        case .allinone:
            return samples.indices.map { index in
                let swaps = Bool.random(using: &generator)
                let candidates = others(index)
                guard swaps, !candidates.isEmpty else {
                    return MatchingPair(videoIndex: index, textIndex: index, isMatch: true)
                }
                let other = candidates[Int.random(in: 0..<candidates.count, using: &generator)]
                return MatchingPair(videoIndex: other, textIndex: index, isMatch: false)
            }
        }
    }

    /// The loss of a batch of head logits against the pairs' labels.
    ///
    /// - VIOLET: −(E_pos[log σ(b)] + E_neg[log(1 − σ(b))]), each expectation the mean over its
    ///   pairs (a missing side contributes 0), computed from logits (stable for any b).
    /// - All-in-One: the mean negative log-likelihood of the two-class softmax (class 1 =
    ///   match).
    public static func loss(logits: Tensor, isMatch: [Bool], style: VideoTextMatchingStyle)
        -> Tensor
    {
        switch style {
        case .violet:
            precondition(
                logits.shape == [isMatch.count],
                "VideoTextMatching.loss: VIOLET logits \(logits.shape) for \(isMatch.count) pairs")
            let positives = Float(isMatch.filter { $0 }.count)
            let negatives = Float(isMatch.count) - positives
            let weights = isMatch.map { $0 ? 1 / positives : 1 / negatives }
            return logits.binaryCrossEntropyWithLogits(
                targets: Tensor(shape: [isMatch.count], scalars: isMatch.map { $0 ? 1 : 0 }),
                weight: Tensor(shape: [isMatch.count], scalars: weights), reduction: .sum)
        case .allinone:
            precondition(
                logits.shape == [isMatch.count, 2],
                "VideoTextMatching.loss: All-in-One logits \(logits.shape) for "
                    + "\(isMatch.count) pairs"
            )
            return logits.crossEntropy(targets: isMatch.map { $0 ? 1 : 0 })
        }
    }

    /// The probability of a match for each pair: σ(b) (VIOLET) or the softmax's class 1
    /// (All-in-One).
    public static func matchProbabilities(logits: Tensor, style: VideoTextMatchingStyle)
        -> [Float]
    {
        withGradientsDisabled {
            switch style {
            case .violet: return logits.sigmoid().scalars
            case .allinone:
                let probabilities = logits.softmax(axis: -1).scalars
                return stride(from: 1, to: probabilities.count, by: 2).map { probabilities[$0] }
            }
        }
    }

    /// The clips of `sample`'s first moment, extended by `contextFraction` of its length on
    /// each side, cut from the video's `features` (the whole video when it has no moment), and
    /// the position of the cut's first clip in the video.
    public static func momentFeatures(
        of sample: GroundingSample, in features: ClipFeatures, contextFraction: Double
    ) -> (features: ClipFeatures, firstClip: Int) {
        guard let moment = sample.targets.first else { return (features, 0) }
        let margin = contextFraction * moment.lengthSeconds
        let extended = TimeSpan(
            startSeconds: max(0, moment.startSeconds - margin),
            endSeconds: min(sample.durationSeconds, moment.endSeconds + margin))
        let clips = clipRange(
            of: extended, durationSeconds: sample.durationSeconds, clipCount: features.clipCount)
        let width = features.featureDimension
        let cut = ClipFeatures(
            values: Array(
                features.values[(clips.lowerBound * width)..<((clips.upperBound + 1) * width)]),
            clipCount: clips.count, featureDimension: width)
        return (cut, clips.lowerBound)
    }
}
