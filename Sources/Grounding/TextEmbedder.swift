/// Texts to embeddings in a joint image–text space: CLIP's projected text embedding
/// (`text_projection` of the end-of-text state), which zero-shot grounding compares with the clip
/// image embeddings (`visual_projection`) of the same CLIP model.
///
/// Zero-shot grounding depends on this protocol rather than on one encoder, so the same decoding
/// runs with any model whose text and image embeddings share a space (and with hand-made
/// embeddings in tests).
public protocol TextEmbedder {
    /// The width D of an embedding; the clip features must have the same width.
    var embeddingSize: Int { get }

    /// One embedding of `embeddingSize` floats per text, in the order given. Any scale: zero-shot
    /// grounding normalises them.
    func embeddings(of texts: [String]) throws -> [[Float]]
}
