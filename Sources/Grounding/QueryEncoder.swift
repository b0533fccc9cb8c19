import NeuralNet
import Tensors
import TextEncoding

/// The text encoder a grounding model reads queries through (frozen): token states for the
/// query-state cache, and, for prompt tuning, its word vectors and a differentiable pass with a
/// soft prompt in front of the queries. The network asks this protocol for everything it needs
/// of a text encoder and never for a concrete type.
public protocol QueryEncoder: AnyObject {
    /// The width of one token state.
    var stateSize: Int { get }
    /// Scalars of the encoder's own (frozen) weights, for the share of the whole system a run
    /// trains; 0 for an encoder without weights.
    var parameterCount: Int { get }
    /// True when the encoder has word vectors and takes soft prompts: text prompts and
    /// vocabulary-based prompt initialisation need it. When false, `wordVectors`, `textPrompt`
    /// and `promptedTokenStates` must not be called.
    var takesPrompts: Bool { get }
    /// The precision its token states are computed at (float32 for an encoder without
    /// weights): part of every cached state's key.
    var precision: Precision { get }

    /// Token states of each query, in order (no gradients).
    func tokenStates(of queries: [String]) throws -> [QueryStates]

    /// The word vectors of the vocabulary rows `initialization` picks for `count` prompt
    /// vectors, `[count, stateSize]`, off the tape; nil when it picks no rows (`.uniform`).
    func wordVectors(_ initialization: SoftPrompt.Initialization, count: Int) -> Tensor?

    /// A soft prompt of the encoder's width under `parameters` (in the store of whatever is
    /// trained with it).
    func textPrompt(_ configuration: SoftPrompt.Configuration, parameters: ParameterScope)
        -> SoftPrompt

    /// The queries' token states with `prompt` in front, the prompt's positions left out, on
    /// the tape (only the prompt receives gradients): `[queries, tokens, stateSize]`, one padded
    /// batch.
    func promptedTokenStates(
        of queries: [String], prompt: SoftPrompt, context: inout ForwardContext
    ) -> Tensor
}

extension QueryEncoder {
    /// No weights of its own.
    public var parameterCount: Int { 0 }

    /// No word vectors: takes no soft prompts.
    public var takesPrompts: Bool { false }

    /// float32: no reduced-precision products.
    public var precision: Precision { .float32 }

    /// Never called on an encoder that takes no prompts (a programmer error).
    public func wordVectors(_ initialization: SoftPrompt.Initialization, count: Int) -> Tensor? {
        preconditionFailure("\(type(of: self)) has no word vectors (takesPrompts is false)")
    }

    /// Never called on an encoder that takes no prompts (a programmer error).
    public func textPrompt(_ configuration: SoftPrompt.Configuration, parameters: ParameterScope)
        -> SoftPrompt
    {
        preconditionFailure("\(type(of: self)) takes no soft prompts (takesPrompts is false)")
    }

    /// Never called on an encoder that takes no prompts (a programmer error).
    public func promptedTokenStates(
        of queries: [String], prompt: SoftPrompt, context: inout ForwardContext
    ) -> Tensor {
        preconditionFailure("\(type(of: self)) takes no soft prompts (takesPrompts is false)")
    }
}
