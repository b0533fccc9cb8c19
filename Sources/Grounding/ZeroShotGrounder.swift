import Datasets
import Foundation
import Metrics
import VTGCore

/// One query's zero-shot answer in one video: ranked spans in seconds and the relevance curve
/// they come from.
public struct ZeroShotResult: Codable, Sendable {
    /// The query grounded.
    public var query: String
    /// The video's duration.
    public var durationSeconds: Double
    /// The seconds per clip of the curve (the last clip may end earlier, at the video's end).
    public var clipSeconds: Double
    /// Ranked spans, best first.
    public var spans: [ScoredSpan]
    /// The query's similarity to each clip that starts inside the video, and its smoothing.
    public var curve: RelevanceCurve

    /// A result of `spans` read from `curve`, whose clips last `clipSeconds`.
    public init(
        query: String, durationSeconds: Double, clipSeconds: Double, spans: [ScoredSpan],
        curve: RelevanceCurve
    ) {
        self.query = query
        self.durationSeconds = durationSeconds
        self.clipSeconds = clipSeconds
        self.spans = spans
        self.curve = curve
    }
}

/// Grounding with no training and no training data: a query's CLIP text embedding against each
/// clip's CLIP image embedding (`RelevanceCurve`), decoded into spans by `ZeroShotDecoder`. The
/// clip features must be the same CLIP model's projected image embeddings (the QVHighlights
/// release's `clip_features`, or `vtg extract`'s output), the width of the text embedding.
public final class ZeroShotGrounder {
    /// The query encoder: text to the joint embedding space.
    public let embedder: any TextEmbedder
    /// How curves become spans.
    public let settings: ZeroShotSettings

    /// A grounder with `embedder` and `settings`; throws for a setting out of range, naming it.
    public init(embedder: any TextEmbedder, settings: ZeroShotSettings = ZeroShotSettings())
        throws(ConfigurationFieldError)
    {
        try settings.validate()
        self.embedder = embedder
        self.settings = settings
    }

    /// The per-query work once the text is embedded: the curve of `queryEmbedding` against the
    /// clips of `features` that start inside a video of `durationSeconds`, and its ranked spans.
    public static func ground(
        queryEmbedding: [Float], features: ClipFeatures, durationSeconds: Double,
        settings: ZeroShotSettings
    ) -> (curve: RelevanceCurve, clipSeconds: Double, spans: [ScoredSpan]) {
        let usable = ZeroShotDecoder.usableClipCount(
            clipCount: features.clipCount, durationSeconds: durationSeconds,
            clipSeconds: settings.clipSeconds)
        let similarities = RelevanceCurve.cosineSimilarities(
            query: queryEmbedding, clips: features, clipCount: usable)
        return decode(similarities, durationSeconds: durationSeconds, settings: settings)
    }

    /// The curve and spans of one query's similarities (computed once, decoded under several
    /// settings by the settings search).
    static func decode(
        _ similarities: [Float], durationSeconds: Double, settings: ZeroShotSettings
    ) -> (curve: RelevanceCurve, clipSeconds: Double, spans: [ScoredSpan]) {
        let curve = RelevanceCurve(
            similarities: similarities, smoothingClips: settings.smoothingClips)
        let clipSeconds = ZeroShotDecoder.clipSeconds(
            clipCount: similarities.count, durationSeconds: durationSeconds, settings: settings)
        return (
            curve, clipSeconds,
            ZeroShotDecoder.decode(curve, durationSeconds: durationSeconds, settings: settings)
        )
    }

    /// Checks that `features` (read from `path`) can be compared with the text embeddings: of
    /// the embedder's width, finite, at least one clip.
    public func check(features: ClipFeatures, path: String) throws(GroundingError) {
        guard features.featureDimension == embedder.embeddingSize else {
            throw .invalidValue(
                .features, value: "\(path) (features of dimension \(features.featureDimension))",
                expected:
                    "CLIP image embeddings of the text embedding's width, "
                    + "\(embedder.embeddingSize): the same CLIP model's projected features, as the "
                    + "QVHighlights release's clip_features or `vtg extract` make")
        }
        guard features.clipCount > 0 else {
            throw .invalidValue(.features, value: "\(path) (no clip)", expected: "one clip or more")
        }
        if let place = features.firstNonFiniteValue() {
            throw .invalidValue(
                .features,
                value: "\(path) (not finite at clip \(place.clip), dimension \(place.dimension))",
                expected: "finite features; extract them again")
        }
    }

    /// The embeddings of `texts`, checked: one per text, each of the embedder's width and finite.
    public func embeddings(of texts: [String]) throws -> [[Float]] {
        let embeddings = try embedder.embeddings(of: texts)
        guard embeddings.count == texts.count else {
            throw GroundingError.invalidInput(
                "the text encoder gave \(embeddings.count) embeddings for \(texts.count) texts")
        }
        for (text, embedding) in zip(texts, embeddings) {
            guard embedding.count == embedder.embeddingSize, embedding.allSatisfy(\.isFinite)
            else {
                throw GroundingError.invalidInput(
                    "the text encoder's embedding of \"\(text)\" has \(embedding.count) values "
                        + "(expected \(embedder.embeddingSize), all finite)")
            }
        }
        return embeddings
    }

    /// Grounds each query in one video's clip features (read from `path`, for messages).
    public func ground(
        features: ClipFeatures, durationSeconds: Double, queries: [String],
        path: String = "features"
    ) throws -> [ZeroShotResult] {
        try Grounder.validate(
            durationSeconds: durationSeconds, queries: queries, topK: settings.topK)
        try check(features: features, path: path)
        return try zip(queries, embeddings(of: queries)).map { query, embedding in
            let grounded = Self.ground(
                queryEmbedding: embedding, features: features, durationSeconds: durationSeconds,
                settings: settings)
            return ZeroShotResult(
                query: query, durationSeconds: durationSeconds, clipSeconds: grounded.clipSeconds,
                spans: grounded.spans, curve: grounded.curve)
        }
    }
}
