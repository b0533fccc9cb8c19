import NeuralNet
import Tensors

/// How the fusion and deep prompt vectors are rescaled before the fusion layers read them.
public enum PromptNormalization: String, Codable, Sendable, CaseIterable {
    /// Each vector divided by its root mean square (RMSNorm without a gain): every prompt token
    /// enters a layer at the scale of a layer-normalised hidden state, whatever the optimiser
    /// did to its length.
    case rms

    /// Added to the mean square under the root, so that a zero vector stays finite.
    static let epsilon: Float = 1e-6

    /// `vectors` `[..., hidden]` rescaled along their last axis.
    func callAsFunction(_ vectors: Tensor) -> Tensor {
        switch self {
        case .rms:
            let meanSquare = (vectors * vectors).mean(
                axis: vectors.shape.count - 1, keepingDimensions: true)
            return vectors * (meanSquare + Self.epsilon).rsqrt()
        }
    }
}

/// The reparameterisation of one prompt member's fusion and deep prompts through a small MLP
/// while training (prefix tuning, P-tuning v2): prompts = E + W₂·tanh(W₁·E + b₁) + b₂, with a
/// trainable source E per prompt (started at the member's initial prompt vectors) and one MLP
/// shared by the member's fusion and deep prompts. W₂ and b₂ start at zero, so training starts
/// from exactly the prompts a plain run starts from.
///
/// What is trained is E and the MLP; the member's plain prompt tensors (`prompt.K.fusion…`,
/// `prompt.K.deep…`) are frozen and hold the MLP's output, refreshed by
/// `GroundingNetwork.refreshEncodedPrompts()` before every evaluation: evaluation, grounding
/// and the best checkpoint read plain prompt vectors, as for a run without the MLP.
///
/// Parameters under `prompt_encoder.K`: `fusion.weight` `[n, hidden]`, `deep.weight`
/// `[layers, m, hidden]`, `dense` (hidden → width), `output` (width → hidden).
public struct PromptEncoder {
    /// The top-level path component of every member's encoder.
    public static let prefix = "prompt_encoder"

    /// The trainable source of the fusion prompt, `[n, hidden]`.
    public let fusionSource: Tensor?
    /// The trainable source of the deep prompts, `[layers, m, hidden]`.
    public let deepSource: Tensor?
    let dense: Linear
    let output: Linear

    /// Builds member `member`'s encoder of bottleneck `width`, its sources starting at the
    /// values of the member's plain prompts.
    init(
        member: Int, width: Int, hiddenSize: Int, fusion: Tensor?, deep: Tensor?,
        parameters: ParameterStore
    ) {
        let scope = parameters.scope("\(Self.prefix).\(member)")
        func source(_ name: String, _ prompt: Tensor?) -> Tensor? {
            prompt.map {
                scope.parameter(
                    "\(name).weight", shape: $0.shape, role: .prompt,
                    initializer: .values($0.scalars))
            }
        }
        fusionSource = source("fusion", fusion)
        deepSource = source("deep", deep)
        dense = Linear(
            .init(inputSize: hiddenSize, outputSize: width), parameters: scope.scope("dense"))
        // The output layer's tensors are requested first, at zero (or as loaded); the layer
        // then finds them under its scope.
        let outputScope = scope.scope("output")
        _ = outputScope.parameter(
            "weight", shape: [hiddenSize, width], role: .weight, initializer: .zeros)
        _ = outputScope.parameter("bias", shape: [hiddenSize], role: .bias, initializer: .zeros)
        output = Linear(.init(inputSize: width, outputSize: hiddenSize), parameters: outputScope)
    }

    /// E + W₂·tanh(W₁·E + b₁) + b₂ for sources `[..., hidden]`.
    public func callAsFunction(_ source: Tensor) -> Tensor {
        source + output(dense(source).tanh())
    }

    /// The encoded fusion prompt (on the tape).
    public var fusion: Tensor? { fusionSource.map { self($0) } }
    /// The encoded deep prompts (on the tape).
    public var deep: Tensor? { deepSource.map { self($0) } }
}
