import NeuralNet
import Tensors

/// A small trainable network beside the frozen backbone (side tuning; the idea of R2-Tuning's
/// query-guided refinement, on PromptVTG's fusion transformer): it reads the video tokens every
/// fusion layer produced, from the last layer to the first, each gated by that layer's
/// sentence state, and adds its refinement to the last layer's video tokens before the span
/// head. The backbone runs forward only; gradients reach the side network and the head.
///
/// Per fusion layer l (width d, side width r): `side.layer.l.down` Linear(d, r) reads the
/// layer's video tokens, `side.layer.l.gate` Linear(d, r) its sentence state (the mean of its
/// real text tokens), `side.layer.l.mix` Linear(r, r) after a LayerNorm
/// (`side.layer.l.LayerNorm`). With s = 0 and l from the last layer down:
/// s ← s + mix(GELU(LayerNorm(down(h_l) + s) ⊙ σ(gate(q_l)))). The output is
/// h_L + `side.up`(s), `side.up` Linear(r, d) starting at zero, so that training starts from
/// the frozen backbone's own tokens.
public struct SideNetwork {
    /// One fusion layer's readers.
    struct LayerReader {
        let down: Linear
        let gate: Linear
        let norm: LayerNorm
        let mix: Linear
    }

    /// The readers, one per fusion layer (in layer order).
    let readers: [LayerReader]
    /// Projects the refinement back to the model's width (zero at the start).
    let up: Linear
    /// The side width r.
    public let width: Int

    /// The path component under which the side network lives.
    public static let prefix = "side"
    /// The side width of a new side network, as a fraction of the model's width.
    public static let standardWidthDivisor = 4

    /// Builds the side network of a model of `hiddenSize` with `layerCount` fusion layers
    /// under `parameters` (`side`).
    public init(hiddenSize: Int, layerCount: Int, width: Int, parameters: ParameterScope) {
        precondition(layerCount >= 1 && width >= 1, "SideNetwork: needs a layer and a width")
        self.width = width
        readers = (0..<layerCount).map { index in
            let scope = parameters.scope("layer.\(index)")
            return LayerReader(
                down: Linear(
                    .init(inputSize: hiddenSize, outputSize: width), parameters: scope.scope("down")
                ),
                gate: Linear(
                    .init(inputSize: hiddenSize, outputSize: width), parameters: scope.scope("gate")
                ),
                norm: LayerNorm(.init(size: width), parameters: scope.scope("LayerNorm")),
                mix: Linear(
                    .init(inputSize: width, outputSize: width), parameters: scope.scope("mix"))
            )
        }
        up = Linear(
            .init(
                inputSize: width, outputSize: hiddenSize, hasBias: true,
                initialization: .normal(standardDeviation: 0)),
            parameters: parameters.scope("up"))
    }

    /// The refined video tokens `[batch, clips, hidden]`.
    ///
    /// - Parameters:
    ///   - videoStates: every fusion layer's video tokens, `[batch, clips, hidden]` each, in
    ///     layer order (the last is what the head would read without the side network).
    ///   - sentenceStates: every fusion layer's sentence state, `[batch, 1, hidden]` each.
    public func callAsFunction(videoStates: [Tensor], sentenceStates: [Tensor]) -> Tensor {
        precondition(
            videoStates.count == readers.count && sentenceStates.count == readers.count,
            "SideNetwork: \(videoStates.count) layer states for \(readers.count) readers")
        var refinement: Tensor?
        for (reader, (video, sentence)) in zip(readers, zip(videoStates, sentenceStates))
            .reversed()
        {
            let read = reader.down(video)
            let normalised = reader.norm(refinement.map { read + $0 } ?? read)
            let gated = (normalised * reader.gate(sentence).sigmoid()).gelu()
            let step = reader.mix(gated)
            refinement = refinement.map { $0 + step } ?? step
        }
        guard let refinement, let last = videoStates.last else {
            preconditionFailure("SideNetwork: no layers")
        }
        return last + up(refinement)
    }

    /// The mean of the real text tokens of a fused sequence `[batch, tokens, hidden]` whose
    /// text starts at `textStart`: `[batch, 1, hidden]`.
    static func sentenceState(_ states: Tensor, textStart: Int, textMask: Mask) -> Tensor {
        let batchSize = states.shape[0]
        let text = states.slice(axis: 1, range: textStart..<states.shape[1])
        let weights = textMask.asTensor.reshaped(to: [batchSize, -1, 1])
        return (text * weights).sum(axis: 1, keepingDimensions: true)
            / weights.sum(axis: 1, keepingDimensions: true)
    }
}
