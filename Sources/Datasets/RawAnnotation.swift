import VTGCore

/// One record as a reader found it, before the anomaly policy: spans in seconds but unchecked,
/// the sentence untrimmed.
struct RawAnnotation {
    var queryID: Int
    var videoID: String
    var durationSeconds: Double
    var query: String
    var spans: [TimeSpan]
    var saliency: ClipSaliency?
    var location: SourceLocation
}
