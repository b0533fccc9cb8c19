import Tensors
import VTGCore

/// One pre-LN transformer layer of CLIP (Hugging Face's `CLIPEncoderLayer`):
///
///     x ← x + self_attn(layer_norm1(x))
///     x ← x + fc2(act(fc1(layer_norm2(x))))
///
/// The same layer serves the image tower (every token sees every token) and the text tower (a
/// causal mask, `attentionBias`).
///
/// Parameters under its scope (e.g. `vision_model.encoder.layers.0`), with Hugging Face's names:
/// `layer_norm1`, `self_attn.{q,k,v,out}_proj`, `layer_norm2`, `mlp.fc1` (hidden →
/// intermediate) and `mlp.fc2` (intermediate → hidden), all with biases.
///
/// Shapes: `[batch, tokens, hidden]` → `[batch, tokens, hidden]`.
public struct CLIPEncoderLayer {
    /// The normalisation before attention (`layer_norm1`).
    public let attentionNorm: LayerNorm
    /// Self-attention (`self_attn`).
    public let attention: CLIPAttention
    /// The normalisation before the MLP (`layer_norm2`).
    public let mlpNorm: LayerNorm
    /// hidden → intermediate (`mlp.fc1`).
    public let fc1: Linear
    /// intermediate → hidden (`mlp.fc2`).
    public let fc2: Linear
    /// The MLP's non-linearity.
    public let activation: CLIPActivation

    /// Builds the layer under `parameters`. New MLP weights follow transformers' CLIP
    /// initialisation: N(0, 1/(2·hidden)) for `fc1`, N(0, (hidden·2·layers)^−1) for `fc2`.
    public init(_ configuration: CLIPEncoderConfiguration, parameters: ParameterScope) {
        let hidden = configuration.hiddenSize
        let residualDeviation = 1 / Float(hidden * 2 * configuration.layerCount).squareRoot()
        let norm = LayerNorm.Configuration(size: hidden, epsilon: configuration.layerNormEpsilon)
        attentionNorm = LayerNorm(norm, parameters: parameters.scope("layer_norm1"))
        attention = CLIPAttention(configuration, parameters: parameters.scope("self_attn"))
        mlpNorm = LayerNorm(norm, parameters: parameters.scope("layer_norm2"))
        fc1 = Linear(
            .init(
                inputSize: hidden, outputSize: configuration.intermediateSize,
                initialization: .normal(standardDeviation: 1 / Float(2 * hidden).squareRoot())),
            parameters: parameters.scope("mlp.fc1"))
        fc2 = Linear(
            .init(
                inputSize: configuration.intermediateSize, outputSize: hidden,
                initialization: .normal(standardDeviation: residualDeviation)),
            parameters: parameters.scope("mlp.fc2"))
        activation = configuration.hiddenActivation
    }

    /// Runs the layer: `[batch, tokens, hidden]` → the same shape.
    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        let attended = hidden + attention(attentionNorm(hidden))
        return attended + feedForward(mlpNorm(attended))
    }

    /// Runs the layer with the additive `attentionBias` on the attention scores (such as
    /// `causalAttentionBias(tokenCount:)`): `[batch, tokens, hidden]` → the same shape.
    public func callAsFunction(_ hidden: Tensor, attentionBias: Tensor?) -> Tensor {
        let attended = hidden + attention(attentionNorm(hidden), attentionBias: attentionBias)
        return attended + feedForward(mlpNorm(attended))
    }

    /// The MLP of normalised states, fc2(act(fc1(x))); at bf16 and int8, quick GELU or the exact
    /// GELU is applied inside fc1's product (`Linear.quickGELUOutput(_:)`,
    /// `Linear.activatedOutput(_:activation:rows:context:)`).
    public func feedForward(_ normalized: Tensor) -> Tensor {
        switch activation {
        case .quickGELU:
            return fc2(fc1.quickGELUOutput(normalized))
        case .gelu:
            var context = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
            return fc2(
                fc1.activatedOutput(normalized, activation: .gelu, rows: nil, context: &context))
        }
    }

    /// The layer's output at the first token only (CLIP's class token): `[batch, tokens,
    /// hidden]` → `[batch, 1, hidden]`, equal to `self(hidden)[:, 0:1]`.
    ///
    /// Why: the image embedding reads only the class token of the last layer. Every token's keys
    /// and values are still needed, but the query, `out_proj` and the MLP run on one row per
    /// image instead of all of them: for ViT-B/32, 10 of the layer's 12 weight products shrink
    /// 50-fold, about 6 % of the whole encoder.
    public func classTokenOutput(_ hidden: Tensor) -> Tensor {
        let normalized = attentionNorm(hidden)
        let classStates = hidden.slice(axis: 1, range: 0..<1)  // [batch, 1, hidden]
        let attended =
            classStates
            + attention(
                query: normalized.slice(axis: 1, range: 0..<1), keysAndValues: normalized)
        return attended + feedForward(mlpNorm(attended))
    }
}

extension CLIPActivation {
    /// Applies the non-linearity element by element: quick GELU x·σ(1.702·x) (one fused pass,
    /// `Tensor.quickGELU`), or exact GELU.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        switch self {
        case .quickGELU: input.quickGELU()
        case .gelu: input.gelu()
        }
    }
}
