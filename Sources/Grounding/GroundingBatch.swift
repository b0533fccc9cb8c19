import Datasets
import Tensors
import VTGCore

/// A query's frozen text-encoder token states: `[tokens, stateSize]`, row-major, and its token
/// ids (used by the from-scratch text encoder; a state size of 0 carries ids only).
public struct QueryStates: Sendable {
    /// The query's tokens (`[CLS]` and `[SEP]` included for MiniLM).
    public var tokenCount: Int
    /// The width of one token state (0: ids only).
    public var stateSize: Int
    /// `tokenCount × stateSize` values, row-major.
    public var values: [Float]
    /// The tokens' vocabulary ids (empty when the encoder gives none).
    public var tokenIDs: [Int]

    /// States as given; their counts must agree.
    public init(tokenCount: Int, stateSize: Int, values: [Float], tokenIDs: [Int] = []) {
        precondition(
            values.count == tokenCount * stateSize,
            "QueryStates: \(values.count) values for \(tokenCount) tokens of \(stateSize)")
        precondition(
            tokenIDs.isEmpty || tokenIDs.count == tokenCount,
            "QueryStates: \(tokenIDs.count) token ids for \(tokenCount) tokens")
        self.tokenCount = tokenCount
        self.stateSize = stateSize
        self.values = values
        self.tokenIDs = tokenIDs
    }
}

/// The clip interval a span in seconds covers on a grid of `clipCount` equal clips:
/// clip i spans [i·D/N, (i+1)·D/N], so start = ⌊s/D·N⌋ and end = ⌈e/D·N⌉ − 1 (the decoder's
/// inverse), clamped to the grid.
public func clipRange(of span: TimeSpan, durationSeconds: Double, clipCount: Int) -> ClosedRange<
    Int
> {
    let scale = Double(clipCount) / max(durationSeconds, 1e-9)
    let start = min(max(Int((span.startSeconds * scale).rounded(.down)), 0), clipCount - 1)
    let end = min(max(Int((span.endSeconds * scale).rounded(.up)) - 1, start), clipCount - 1)
    return start...end
}

/// A padded batch of samples as tensors, with their training targets.
public struct GroundingBatch {
    /// The samples, in batch order.
    public let samples: [GroundingSample]
    /// Clip features `[batch, clips, featureDimension]`, zero-padded.
    public let clipFeatures: Tensor
    /// True for real clips, `[batch, clips]`.
    public let clipMask: Mask
    /// Each sample's real clip count.
    public let clipCounts: [Int]
    /// Frozen text token states `[batch, tokens, stateSize]`, zero-padded.
    public let textStates: Tensor
    /// True for real tokens, `[batch, tokens]`.
    public internal(set) var textMask: Mask
    /// Token ids `[batch × tokens]`, row-major, 0 on padding (empty when the encoder gave none).
    public let textTokenIDs: [Int]
    /// Target start clips (from each sample's first target span).
    public let startClips: [Int]
    /// Target end clips (from each sample's first target span).
    public let endClips: [Int]
    /// 1 on clips inside a target span (extended as configured), 0 elsewhere, `[batch, clips]`.
    public let insideLabels: Tensor
    /// 1 on real clips, 0 on padding, `[batch, clips]`.
    public let clipWeights: Tensor
    /// The position on the video's clip grid of each sample's first clip, when the clips are
    /// a cut from a longer video (video-text matching on moments): the cut keeps the positions
    /// it has in the whole video. Nil: every sample starts at position 0.
    public var firstClipPositions: [Int]?

    /// The number of samples.
    public var size: Int { samples.count }
    /// The padded clip count.
    public var clipCount: Int { clipFeatures.shape[1] }

    /// Pads `features` and `states` (one per sample) into tensors and derives the targets.
    public init(
        samples: [GroundingSample], features: [ClipFeatures], states: [QueryStates],
        insideExtension: Double = 0
    ) {
        precondition(
            !samples.isEmpty && samples.count == features.count
                && samples.count == states.count,
            "GroundingBatch: \(samples.count) samples, \(features.count) features, "
                + "\(states.count) states"
        )
        let batchSize = samples.count
        let featureDimension = features[0].featureDimension
        let clips = features.map(\.clipCount).max() ?? 0
        let stateSize = states[0].stateSize
        let tokens = states.map(\.tokenCount).max() ?? 0
        var clipValues = [Float](repeating: 0, count: batchSize * clips * featureDimension)
        var clipValid = [Bool](repeating: false, count: batchSize * clips)
        var stateValues = [Float](repeating: 0, count: batchSize * tokens * stateSize)
        var tokenValid = [Bool](repeating: false, count: batchSize * tokens)
        let hasIDs = states.allSatisfy { !$0.tokenIDs.isEmpty }
        var tokenIDs = [Int](repeating: 0, count: hasIDs ? batchSize * tokens : 0)
        var inside = [Float](repeating: 0, count: batchSize * clips)
        var weights = [Float](repeating: 0, count: batchSize * clips)
        var starts: [Int] = []
        var ends: [Int] = []
        for (item, sample) in samples.enumerated() {
            let feature = features[item]
            precondition(
                feature.featureDimension == featureDimension,
                "GroundingBatch: feature dimension \(feature.featureDimension) vs "
                    + "\(featureDimension)"
            )
            let base = item * clips * featureDimension
            clipValues.replaceSubrange(
                base..<(base + feature.values.count), with: feature.values)
            for clip in 0..<feature.clipCount {
                clipValid[item * clips + clip] = true
                weights[item * clips + clip] = 1
            }
            let state = states[item]
            let stateBase = item * tokens * stateSize
            stateValues.replaceSubrange(
                stateBase..<(stateBase + state.values.count), with: state.values)
            for token in 0..<state.tokenCount {
                tokenValid[item * tokens + token] = true
                if hasIDs { tokenIDs[item * tokens + token] = state.tokenIDs[token] }
            }

            let target =
                sample.targets.first
                ?? TimeSpan(startSeconds: 0, endSeconds: sample.durationSeconds)
            let range = clipRange(
                of: target, durationSeconds: sample.durationSeconds,
                clipCount: feature.clipCount)
            starts.append(range.lowerBound)
            ends.append(range.upperBound)
            for span in sample.targets {
                let margin = insideExtension * span.lengthSeconds
                let extended = TimeSpan(
                    startSeconds: max(0, span.startSeconds - margin),
                    endSeconds: min(sample.durationSeconds, span.endSeconds + margin))
                for clip in clipRange(
                    of: extended, durationSeconds: sample.durationSeconds,
                    clipCount: feature.clipCount)
                {
                    inside[item * clips + clip] = 1
                }
            }
        }
        firstClipPositions = nil
        self.samples = samples
        clipFeatures = Tensor(shape: [batchSize, clips, featureDimension], scalars: clipValues)
        clipMask = Mask(shape: [batchSize, clips], values: clipValid)
        clipCounts = features.map(\.clipCount)
        textStates = Tensor(shape: [batchSize, tokens, stateSize], scalars: stateValues)
        textMask = Mask(shape: [batchSize, tokens], values: tokenValid)
        textTokenIDs = tokenIDs
        startClips = starts
        endClips = ends
        insideLabels = Tensor(shape: [batchSize, clips], scalars: inside)
        clipWeights = Tensor(shape: [batchSize, clips], scalars: weights)
    }
}

extension GroundingBatch {
    /// Rows whose clips are the same video (equal clip features, clip count and first
    /// position), as the first row of each group and every row's group; nil when every row is
    /// its own video.
    func sameVideoRows() -> (representatives: [Int], groupOfRow: [Int])? {
        let featureDimension = clipFeatures.shape[2]
        let width = clipCount * featureDimension
        return clipFeatures.withUnsafeScalars { values in
            var representatives: [Int] = []
            var groupOfRow: [Int] = []
            var groupsByKey: [Int: [Int]] = [:]
            for row in 0..<size {
                let features = values[(row * width)..<((row + 1) * width)]
                // The key reads the first clip; equal keys are compared whole.
                var hasher = Hasher()
                hasher.combine(clipCounts[row])
                hasher.combine(firstClipPositions?[row])
                for value in features.prefix(featureDimension) { hasher.combine(value.bitPattern) }
                let key = hasher.finalize()
                let match = groupsByKey[key, default: []].first { group in
                    let other = representatives[group]
                    return clipCounts[other] == clipCounts[row]
                        && firstClipPositions?[other] == firstClipPositions?[row]
                        && values[(other * width)..<((other + 1) * width)].elementsEqual(features)
                }
                if let match {
                    groupOfRow.append(match)
                } else {
                    groupsByKey[key, default: []].append(representatives.count)
                    groupOfRow.append(representatives.count)
                    representatives.append(row)
                }
            }
            return representatives.count < size ? (representatives, groupOfRow) : nil
        }
    }
}
