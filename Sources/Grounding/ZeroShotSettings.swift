import Foundation

/// How zero-shot grounding turns a query's similarity to each clip into ranked spans
/// (Docs/zero-shot-grounding.md gives the method). Each setting has a named default; `validate()`
/// names the setting that is out of range. `ZeroShotSettingsSearch` picks them on a training
/// split.
public struct ZeroShotSettings: Codable, Sendable, Hashable {
    /// An optional preference for spans of one length: a candidate's score loses
    /// `weight · |ln(f / preferredFraction)|`, f its length as a fraction of the video.
    public struct LengthPrior: Codable, Sendable, Hashable {
        /// The preferred span length as a fraction of the video, in (0, 1].
        public var preferredFraction: Double
        /// The penalty per unit of log-ratio, in cosine units (≥ 0).
        public var weight: Double

        /// A prior for spans of `preferredFraction` of the video with `weight`.
        public init(preferredFraction: Double, weight: Double) {
            self.preferredFraction = preferredFraction
            self.weight = weight
        }

        /// The penalty of a span covering `fraction` of the video.
        func penalty(fraction: Double) -> Double {
            weight * abs(Foundation.log(fraction / preferredFraction))
        }
    }

    /// Width of the centred moving average over the similarity curve, in clips (1: none).
    public static let defaultSmoothingClips = 3
    /// The values k of the thresholds mean + k·sd whose runs are candidates.
    public static let defaultThresholdDeviations: [Double] = [0, 0.5, 1]
    /// Length of one clip in seconds: the QVHighlights release's layout and `vtg extract`'s
    /// default.
    public static let defaultClipSeconds: Double? = 2
    /// IoU above which a lower-scored candidate is suppressed, as for trained models.
    public static let defaultNMSThreshold = SpanDecoder.defaultNMSThreshold
    /// Spans kept per query, as for trained models.
    public static let defaultTopK = SpanDecoder.defaultTopK

    /// Width of the centred moving average, in clips: odd, at least 1.
    public var smoothingClips: Int
    /// The k of each threshold mean + k·sd of the smoothed curve; every maximal run of clips
    /// above one of them is a candidate. At least one, each finite.
    public var thresholdDeviations: [Double]
    /// The length prior, or nil for none.
    public var lengthPrior: LengthPrior?
    /// Temporal NMS: a candidate whose IoU with a better one exceeds this is dropped; in [0, 1].
    public var nmsThreshold: Double
    /// Spans returned per query: at least 1.
    public var topK: Int
    /// The length of one clip in seconds (clip i covers [i·c, (i + 1)·c], the last one cut at the
    /// video's end); nil: the clips share the duration evenly (c = D / N).
    public var clipSeconds: Double?

    /// Settings; each one left out takes its default.
    public init(
        smoothingClips: Int = defaultSmoothingClips,
        thresholdDeviations: [Double] = defaultThresholdDeviations,
        lengthPrior: LengthPrior? = nil, nmsThreshold: Double = defaultNMSThreshold,
        topK: Int = defaultTopK, clipSeconds: Double? = defaultClipSeconds
    ) {
        self.smoothingClips = smoothingClips
        self.thresholdDeviations = thresholdDeviations
        self.lengthPrior = lengthPrior
        self.nmsThreshold = nmsThreshold
        self.topK = topK
        self.clipSeconds = clipSeconds
    }

    /// Throws for the first setting out of range, naming it (`smoothingClips`,
    /// `thresholdDeviations`, `lengthPrior.preferredFraction`, `lengthPrior.weight`,
    /// `nmsThreshold`, `topK`, `clipSeconds`).
    public func validate() throws(ConfigurationFieldError) {
        guard smoothingClips >= 1, smoothingClips % 2 == 1 else {
            throw ConfigurationFieldError(
                field: "smoothingClips", value: "\(smoothingClips)",
                expected: "an odd number of clips, at least 1 (1: no smoothing)")
        }
        guard !thresholdDeviations.isEmpty, thresholdDeviations.allSatisfy(\.isFinite) else {
            throw ConfigurationFieldError(
                field: "thresholdDeviations", value: "\(thresholdDeviations)",
                expected: "one or more finite numbers of standard deviations")
        }
        if let lengthPrior {
            let fraction = lengthPrior.preferredFraction
            guard fraction > 0, fraction <= 1 else {
                throw ConfigurationFieldError(
                    field: "lengthPrior.preferredFraction", value: "\(fraction)",
                    expected: "a fraction of the video in (0, 1]")
            }
            guard lengthPrior.weight >= 0, lengthPrior.weight.isFinite else {
                throw ConfigurationFieldError(
                    field: "lengthPrior.weight", value: "\(lengthPrior.weight)",
                    expected: "a finite number of 0 or more")
            }
        }
        guard nmsThreshold >= 0, nmsThreshold <= 1 else {
            throw ConfigurationFieldError(
                field: "nmsThreshold", value: "\(nmsThreshold)", expected: "an IoU in [0, 1]")
        }
        try ConfigurationFieldError.requireAtLeast(1, topK, "topK")
        if let clipSeconds, !(clipSeconds > 0 && clipSeconds.isFinite) {
            throw ConfigurationFieldError(
                field: "clipSeconds", value: "\(clipSeconds)",
                expected: "a positive number of seconds (or none: the clips share the duration)")
        }
    }
}
