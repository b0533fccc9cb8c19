import Foundation
import NeuralNet
import Tensors
import TextEncoding

/// CLIP's frozen text tower as the grounding model's query encoder: the final states of
/// `<|startoftext|> query <|endoftext|>` (the width of the model's `hidden_size`, 512 for
/// ViT-B/32); its token embeddings start prompts, and CoOp-style context prompts run through it
/// on the tape (see `CLIPTextEncoder.promptedStates`).
public final class CLIPQueryEncoder: QueryEncoder {
    /// The CLIP text encoder (tokenizer, text tower, projection), frozen.
    public let encoder: CLIPTextEncoder

    /// Reads the CLIP model folder at `directory` (see `CLIPTextEncoder.init(directory:)`), its
    /// text tower's products at `precision` for the frozen states (float32 where the CPU lacks
    /// the kernel; passes that record gradients, such as context prompts, run float32).
    public convenience init(directory: URL, precision: Precision = .float32) throws {
        self.init(encoder: try CLIPTextEncoder(directory: directory).converted(to: precision))
    }

    /// The precision the text tower's products run at.
    public var precision: Precision { encoder.precision }

    /// Wraps a loaded encoder.
    public init(encoder: CLIPTextEncoder) {
        self.encoder = encoder
    }

    /// The text tower's width.
    public var stateSize: Int { encoder.hiddenSize }

    /// Every scalar of the text tower's weights.
    public var parameterCount: Int {
        encoder.parameters.entries.reduce(0) { $0 + $1.tensor.count }
    }

    /// CLIP has token embeddings and takes context prompts.
    public var takesPrompts: Bool { true }

    /// The final states of each query's real tokens.
    public func tokenStates(of queries: [String]) throws -> [QueryStates] {
        encoder.tokenStates(queries).map(QueryStates.init)
    }

    /// Rows of CLIP's token-embedding table (see `CLIPTextEncoder.promptRows`).
    public func wordVectors(_ initialization: SoftPrompt.Initialization, count: Int) -> Tensor? {
        guard let rows = encoder.promptRows(initialization, count: count) else { return nil }
        return withGradientsDisabled { encoder.model.tokenEmbedding.weight.indexSelect(rows) }
    }

    /// `CLIPTextEncoder.softPrompt`.
    public func textPrompt(_ configuration: SoftPrompt.Configuration, parameters: ParameterScope)
        -> SoftPrompt
    {
        encoder.softPrompt(configuration, parameters: parameters)
    }

    /// CLIP's differentiable pass with `prompt` after the start token, query positions only.
    public func promptedTokenStates(
        of queries: [String], prompt: SoftPrompt, context: inout ForwardContext
    ) -> Tensor {
        encoder.promptedStates(queries, prompt: prompt).tokenStates
    }
}
