import Foundation
import NeuralNet
import Tensors
import TextEncoding

/// CLIP's text tower as zero-shot grounding's query encoder: each query's projected end-of-text
/// embedding (transformers' `text_embeds`), read from the same Hugging Face model folder whose
/// image tower made the clip features.
public struct CLIPTextEmbedder: TextEmbedder {
    /// The frozen CLIP text encoder.
    public let encoder: CLIPTextEncoder

    /// Wraps a loaded encoder.
    public init(encoder: CLIPTextEncoder) {
        self.encoder = encoder
    }

    /// Loads the text tower and tokenizer of the CLIP model folder `clipModelDirectory`
    /// (`config.json`, `model.safetensors`, `vocab.json` + `merges.txt`), its products packed
    /// for few rows (`CLIPTextEncoder.packedForFewRows()`: one query is about twice as fast).
    public init(clipModelDirectory: URL) throws(CLIPModelError) {
        encoder = try CLIPTextEncoder(directory: clipModelDirectory).packedForFewRows()
    }

    /// `projection_dim` (512 for ViT-B/32), the width of the image embeddings it matches.
    public var embeddingSize: Int { encoder.embeddingSize }

    /// The projected embeddings of `texts`, one row each (unnormalised; zero-shot grounding
    /// normalises).
    public func embeddings(of texts: [String]) throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let scalars = encoder.embeddings(of: texts).scalars
        let width = embeddingSize
        return texts.indices.map { Array(scalars[$0 * width..<($0 + 1) * width]) }
    }
}
