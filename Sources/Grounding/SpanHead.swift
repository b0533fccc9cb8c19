import NeuralNet
import Tensors

/// The span head on fused video tokens: an inside-the-moment logit per clip, then start and end
/// logits from the tokens gated by σ(inside), as VSLNet's query-guided highlighting does:
/// boundaries are looked for where the query matches, and the boundary losses also train the
/// match. The boundary logits of clip t read the hidden vectors of clips t − 1, t and t + 1 (a
/// width-3 temporal convolution, as UniVTG's heads): a start is where "outside" turns into
/// "inside", which one clip's vector alone cannot show when the backbone is frozen.
///
/// Parameters under its scope: `inside_head.dense`, `inside_head.output`, `span_head.dense`,
/// `span_head.output`. The two dense layers map the tokens' `hiddenSize` to the head's `width`
/// (the width by default; a narrower head leaves a parameter-efficient run more of its budget).
public struct SpanHead {
    var insideHidden: Linear
    var insideOutput: Linear
    var spanHidden: Linear
    var spanOutput: Linear

    /// The value given to padded clips' start and end logits: far below any real logit, yet
    /// finite, so that 0 · value stays 0 in every backward product.
    static let paddedLogit: Float = -1e9

    /// The top-level path components of a head's parameters.
    public static let parameterPrefixes = ["inside_head", "span_head"]

    /// Builds the head for tokens of width `hiddenSize` under `parameters`, its hidden layers
    /// `width` wide (nil: `hiddenSize`).
    public init(hiddenSize: Int, width: Int? = nil, parameters: ParameterScope) {
        let width = width ?? hiddenSize
        insideHidden = Linear(
            .init(inputSize: hiddenSize, outputSize: width),
            parameters: parameters.scope("inside_head.dense"))
        insideOutput = Linear(
            .init(inputSize: width, outputSize: 1),
            parameters: parameters.scope("inside_head.output"))
        spanHidden = Linear(
            .init(inputSize: hiddenSize, outputSize: width),
            parameters: parameters.scope("span_head.dense"))
        spanOutput = Linear(
            .init(inputSize: 3 * width, outputSize: 2),
            parameters: parameters.scope("span_head.output"))
    }

    /// The logits of the fused video tokens `[batch, clips, hidden]`.
    public func callAsFunction(
        fusedVideo: Tensor, classification: Tensor, batch: GroundingBatch
    ) -> GroundingLogits {
        let shape = [batch.size, batch.clipCount]
        let inside = insideOutput(insideHidden(fusedVideo).relu())  // [batch, clips, 1]
        let gated = fusedVideo * inside.sigmoid()
        // Padded clips' vectors are zeroed, so that a video's last real clip sees the same
        // (zero) right neighbour in any batch.
        let hidden = spanHidden(gated).relu()
            * batch.clipWeights.reshaped(to: [batch.size, batch.clipCount, 1])
        let boundaries = spanOutput(Self.withNeighbours(hidden))  // [batch, clips, 2]
        let padded = batch.clipMask.inverted
        func channel(_ index: Int) -> Tensor {
            boundaries.slice(axis: 2, range: index..<(index + 1)).reshaped(to: shape)
        }
        return GroundingLogits(
            start: channel(0).maskedFill(padded, with: Self.paddedLogit),
            end: channel(1).maskedFill(padded, with: Self.paddedLogit),
            inside: inside.reshaped(to: shape),
            classification: classification)
    }

    /// `[batch, clips, width]` → `[batch, clips, 3·width]`: each clip's vector between its left
    /// and right neighbours' (zeros beyond the ends).
    static func withNeighbours(_ hidden: Tensor) -> Tensor {
        let (batch, clips, width) = (hidden.shape[0], hidden.shape[1], hidden.shape[2])
        guard clips > 1 else {
            let zeros = Tensor.zeros([batch, clips, width])
            return Tensor.concatenate([zeros, hidden, zeros], axis: 2)
        }
        let zero = Tensor.zeros([batch, 1, width])
        let left = Tensor.concatenate(
            [zero, hidden.slice(axis: 1, range: 0..<(clips - 1))], axis: 1)
        let right = Tensor.concatenate([hidden.slice(axis: 1, range: 1..<clips), zero], axis: 1)
        return Tensor.concatenate([left, hidden, right], axis: 2)
    }
}
