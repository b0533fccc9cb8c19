import NeuralNet
import Tensors

/// CLIP's text encoder with its projection: what Hugging Face's `CLIPTextModelWithProjection`
/// returns (`last_hidden_state` and `text_embeds`, as `CLIPModel.get_text_features`).
///
///     x = token_embedding(ids) + position_embedding(0..<tokens)     [batch, tokens, hidden]
///     x = layer_i(x) under a causal mask, for every encoder layer
///     states = final_layer_norm(x)                                  [batch, tokens, hidden]
///     text_embeds = text_projection(states[b, end-of-text position of b])  [batch, projection]
///
/// The end-of-text position is the first `<|endoftext|>` of each row: the argmax of the ids, as
/// transformers pools for the original vocabulary (whose end token has the highest id). Under
/// the causal mask no token sees the padding after it, so padded rows need no key mask.
///
/// Parameters, with Hugging Face's names (so a CLIP `model.safetensors` loads as it is):
/// `text_model.embeddings.token_embedding.weight` `[vocabulary, hidden]`,
/// `text_model.embeddings.position_embedding.weight` `[positions, hidden]`,
/// `text_model.encoder.layers.N.*` (see `CLIPEncoderLayer`), `text_model.final_layer_norm`, and
/// `text_projection.weight` `[projection, hidden]` (no bias).
public struct CLIPTextModel {
    /// The architecture.
    public let configuration: CLIPTextConfiguration
    /// One row per token id (`text_model.embeddings.token_embedding`).
    public let tokenEmbedding: Embedding
    /// One row per position (`text_model.embeddings.position_embedding`).
    public let positionEmbedding: Embedding
    /// The encoder layers (`text_model.encoder.layers.N`).
    public let layers: [CLIPEncoderLayer]
    /// The normalisation of the last layer's states (`text_model.final_layer_norm`).
    public let finalLayerNorm: LayerNorm
    /// hidden → projection, no bias (`text_projection`).
    public let textProjection: Linear

    /// Builds the model under `parameters`: the root of a store made from `model.safetensors`,
    /// or of a seeded store for random weights (transformers' CLIP initialisation: tokens
    /// N(0, 0.02²), positions N(0, 0.01²), projection N(0, 1/hidden)).
    public init(_ configuration: CLIPTextConfiguration, parameters: ParameterScope) {
        self.configuration = configuration
        let text = parameters.scope("text_model")
        let hidden = configuration.hiddenSize
        tokenEmbedding = Embedding(
            .init(
                count: configuration.vocabularySize, size: hidden,
                initialization: .normal(standardDeviation: 0.02)),
            parameters: text.scope("embeddings.token_embedding"))
        positionEmbedding = Embedding(
            .init(
                count: configuration.maximumPositions, size: hidden,
                initialization: .normal(standardDeviation: 0.01)),
            parameters: text.scope("embeddings.position_embedding"))
        layers = (0..<configuration.encoder.layerCount).map { index in
            CLIPEncoderLayer(
                configuration.encoder, parameters: text.scope("encoder.layers.\(index)"))
        }
        finalLayerNorm = LayerNorm(
            .init(size: hidden, epsilon: configuration.encoder.layerNormEpsilon),
            parameters: text.scope("final_layer_norm"))
        textProjection = Linear(
            .init(
                inputSize: hidden, outputSize: configuration.projectionSize, hasBias: false,
                initialization: .normal(standardDeviation: 1 / Float(hidden).squareRoot())),
            parameters: parameters.scope("text_projection"))
    }

    /// The token embeddings of `tokenIDs` (row-major `[batch, tokens]`), before positions:
    /// `[batch, tokens, hidden]`.
    public func tokenEmbeddings(_ tokenIDs: [Int], batch: Int, tokens: Int) -> Tensor {
        tokenEmbedding(tokenIDs, shape: [batch, tokens])
    }

    /// The final states of input embeddings `[batch, tokens, hidden]` (token embeddings, or soft
    /// prompt rows and token embeddings side by side): positions added, the causal layers, the
    /// final layer norm. `[batch, tokens, hidden]`; at most `maximumPositions` tokens.
    public func states(ofInputEmbeddings inputs: Tensor) -> Tensor {
        let tokens = inputs.shape[1]
        precondition(
            inputs.rank == 3 && inputs.shape[2] == configuration.hiddenSize
                && tokens <= configuration.maximumPositions,
            "CLIPTextModel: inputs \(inputs.shape) must be [batch, at most"
                + " \(configuration.maximumPositions), \(configuration.hiddenSize)]")
        return finalLayerNorm(layerStates(ofInputEmbeddings: inputs, layerCount: layers.count))
    }

    /// The states after the first `layerCount` layers of input embeddings `[batch, tokens,
    /// hidden]`: positions added, then those layers under the causal mask.
    func layerStates(ofInputEmbeddings inputs: Tensor, layerCount: Int) -> Tensor {
        let tokens = inputs.shape[1]
        let positions = positionEmbedding.weight.slice(axis: 0, range: 0..<tokens)
            .reshaped(to: [1, tokens, configuration.hiddenSize])
        let mask = causalAttentionBias(tokenCount: tokens)
        var hidden = inputs + positions
        for layer in layers.prefix(layerCount) { hidden = layer(hidden, attentionBias: mask) }
        return hidden
    }

    /// The projected text embeddings (un-normalised) of padded token ids (row-major `[batch,
    /// tokens]`), pooled at `positions[b]` in row b: `[batch, projectionSize]`, the values of
    /// `projectedEmbeddings(of: states(ofTokenIDs:…), at: positions)`.
    ///
    /// Why not through `states`: the embedding reads one state per text, and under the causal
    /// mask the last layer's output at a position needs only the keys and values up to it. So
    /// the last layer computes every token's keys and values but its queries, `out_proj`, MLP
    /// and the final layer norm only at the pooled rows (for ViT-B/32's text tower, about 5 % of
    /// the whole pass).
    public func projectedEmbeddings(
        ofTokenIDs tokenIDs: [Int], batch: Int, tokens: Int, at positions: [Int]
    ) -> Tensor {
        precondition(
            positions.count == batch && positions.allSatisfy { $0 >= 0 && $0 < tokens },
            "CLIPTextModel.projectedEmbeddings: positions \(positions) for \(batch) rows of"
                + " \(tokens) tokens")
        let hidden = configuration.hiddenSize
        let inputs = tokenEmbeddings(tokenIDs, batch: batch, tokens: tokens)
        guard let last = layers.last else {
            return projectedEmbeddings(of: states(ofInputEmbeddings: inputs), at: positions)
        }
        let states = layerStates(ofInputEmbeddings: inputs, layerCount: layers.count - 1)
        let rows = positions.enumerated().map { $0 * tokens + $1 }
        func pooledRows(_ tensor: Tensor) -> Tensor {
            tensor.reshaped(to: [batch * tokens, hidden]).indexSelect(rows)
                .reshaped(to: [batch, 1, hidden])
        }
        let normalized = last.attentionNorm(states)
        // Row b's query at positions[b] sees keys 0...positions[b] of its own row.
        var bias = [Float](repeating: 0, count: batch * tokens)
        for (row, position) in positions.enumerated() {
            for key in (position + 1)..<tokens { bias[row * tokens + key] = -.infinity }
        }
        let attended =
            pooledRows(states)
            + last.attention(
                query: pooledRows(normalized), keysAndValues: normalized,
                attentionBias: Tensor(shape: [batch, 1, 1, tokens], scalars: bias))
        let output = attended + last.feedForward(last.mlpNorm(attended))
        return textProjection(finalLayerNorm(output.reshaped(to: [batch, hidden])))
    }

    /// The final states of padded token ids (row-major `[batch, tokens]`): `[batch, tokens,
    /// hidden]`.
    public func states(ofTokenIDs tokenIDs: [Int], batch: Int, tokens: Int) -> Tensor {
        states(ofInputEmbeddings: tokenEmbeddings(tokenIDs, batch: batch, tokens: tokens))
    }

    /// The projected text embeddings (un-normalised) read at one position per row:
    /// `states` `[batch, tokens, hidden]`, `positions[b]` the end-of-text position of row b →
    /// `[batch, projectionSize]`.
    public func projectedEmbeddings(of states: Tensor, at positions: [Int]) -> Tensor {
        let batch = states.shape[0]
        let tokens = states.shape[1]
        precondition(
            positions.count == batch && positions.allSatisfy { $0 >= 0 && $0 < tokens },
            "CLIPTextModel.projectedEmbeddings: positions \(positions) for states \(states.shape)")
        let rows = positions.enumerated().map { $0 * tokens + $1 }
        let pooled = states.reshaped(to: [batch * tokens, configuration.hiddenSize])
            .indexSelect(rows)  // [batch, hidden]
        return textProjection(pooled)
    }

    /// The end-of-text position of each row of padded ids `[batch, tokens]`: the first
    /// occurrence of `endOfTextID` (the last position when a row has none).
    public static func endOfTextPositions(
        of tokenIDs: [Int], batch: Int, tokens: Int, endOfTextID: Int
    ) -> [Int] {
        (0..<batch).map { row in
            tokenIDs[row * tokens..<(row + 1) * tokens].firstIndex(of: endOfTextID).map {
                $0 - row * tokens
            } ?? tokens - 1
        }
    }
}
