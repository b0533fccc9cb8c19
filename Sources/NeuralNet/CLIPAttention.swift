import Tensors
import VTGCore

/// CLIP's multi-head self-attention (Hugging Face's `CLIPAttention`): queries, keys and values
/// projected with biases, scaled dot-product attention (over all tokens in the image tower, where
/// every patch sees every patch; under a causal mask in the text tower), heads merged by
/// `out_proj`.
///
/// Parameters under its scope, with Hugging Face's names: `q_proj`, `k_proj`, `v_proj` and
/// `out_proj`, each `weight` `[hidden, hidden]` and `bias` `[hidden]`.
///
/// Shapes: `[batch, tokens, hidden]` → `[batch, tokens, hidden]`; heads split the hidden axis in
/// `headCount` slices of `hidden / headCount`, scores scaled by 1/√(hidden / headCount).
public struct CLIPAttention {
    /// Projects token states to queries (`q_proj`).
    public let query: Linear
    /// Projects token states to keys (`k_proj`).
    public let key: Linear
    /// Projects token states to values (`v_proj`).
    public let value: Linear
    /// Mixes the heads' outputs (`out_proj`).
    public let output: Linear
    /// The number of heads.
    public let headCount: Int

    /// Builds the four projections under `parameters` (e.g.
    /// `vision_model.encoder.layers.0.self_attn`). New weights follow transformers' CLIP
    /// initialisation: N(0, (hidden·2·layers)^−1) for q, k, v and N(0, 1/hidden) for `out_proj`,
    /// zero biases.
    public init(_ configuration: CLIPEncoderConfiguration, parameters: ParameterScope) {
        let hidden = configuration.hiddenSize
        let inputDeviation = 1 / Float(hidden * 2 * configuration.layerCount).squareRoot()
        let outputDeviation = 1 / Float(hidden).squareRoot()
        func projection(_ name: String, deviation: Float) -> Linear {
            Linear(
                .init(
                    inputSize: hidden, outputSize: hidden,
                    initialization: .normal(standardDeviation: deviation)),
                parameters: parameters.scope(name))
        }
        query = projection("q_proj", deviation: inputDeviation)
        key = projection("k_proj", deviation: inputDeviation)
        value = projection("v_proj", deviation: inputDeviation)
        output = projection("out_proj", deviation: outputDeviation)
        headCount = configuration.headCount
    }

    /// Attends every token to every token: `[batch, tokens, hidden]` → the same shape.
    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        self(query: hidden, keysAndValues: hidden)
    }

    /// Self-attention with the additive `attentionBias` on the scores (broadcast to `[batch,
    /// heads, tokens, tokens]`; −∞ hides a key, as `causalAttentionBias` does for later tokens):
    /// `[batch, tokens, hidden]` → the same shape.
    public func callAsFunction(_ hidden: Tensor, attentionBias: Tensor?) -> Tensor {
        var generator = SeededGenerator(seed: 0)
        let (mixed, _) = scaledDotProductAttention(
            query: query(hidden), key: key(hidden), value: value(hidden), headCount: headCount,
            bias: attentionBias, using: &generator)
        return output(mixed)
    }

    /// Attends the states `query` `[batch, queries, hidden]` to all of `keysAndValues`
    /// `[batch, tokens, hidden]` (queries taken from some of the same tokens, such as the class
    /// token alone), with the additive `attentionBias` on the scores when given (broadcast to
    /// `[batch, heads, queries, tokens]`): `[batch, queries, hidden]`.
    public func callAsFunction(
        query states: Tensor, keysAndValues: Tensor, attentionBias: Tensor? = nil
    ) -> Tensor {
        // The generator is never drawn from: there is no attention dropout at inference.
        var generator = SeededGenerator(seed: 0)
        let (mixed, _) = scaledDotProductAttention(
            query: query(states), key: key(keysAndValues), value: value(keysAndValues),
            headCount: headCount, bias: attentionBias, using: &generator)
        return output(mixed)
    }
}

/// The additive attention bias of a causal (left-to-right) mask: 0 where a query may see a key
/// (key ≤ query), −∞ above the diagonal. Shape `[1, 1, tokens, tokens]`, broadcast over the batch
/// and heads (Hugging Face's `create_causal_mask` for CLIP's text tower).
public func causalAttentionBias(tokenCount: Int) -> Tensor {
    var scalars = [Float](repeating: 0, count: tokenCount * tokenCount)
    for query in 0..<tokenCount {
        for key in (query + 1)..<tokenCount {
            scalars[query * tokenCount + key] = -.infinity
        }
    }
    return Tensor(shape: [1, 1, tokenCount, tokenCount], scalars: scalars)
}
