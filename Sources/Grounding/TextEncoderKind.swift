/// Which text encoder a new grounding model reads its queries with.
public enum TextEncoderKind: String, Codable, Sendable, CaseIterable {
    /// The frozen pre-trained MiniLM's token states (the default).
    case minilm
    /// Trainable word embeddings and transformer layers over MiniLM's WordPiece ids, trained
    /// from scratch with the model (a comparison option).
    case scratch
    /// The frozen pre-trained CLIP text tower's final token states (from a CLIP model folder).
    case clip

    /// The encoder of a new model when none is asked for.
    public static let standard = TextEncoderKind.minilm
}
