import NeuralNet
import Tensors

// Reduced-precision inference for CLIP's text tower (see `Precision` and
// Docs/reduced-precision.md): per layer q/k/v/out_proj, fc1 and fc2 at bf16 or int8; the token
// and position embeddings, layer norms, softmax, the activation, residual sums and the small
// `text_projection` (one row per text) stay float32. Passes that record gradients (context
// prompts in training) run float32 whatever the conversion.

extension CLIPTextModel {
    /// This model with its layers' products at `precision` for inference, or at float32 when
    /// `features` lack the precision's kernel (see `Linear.converted(to:features:)`). The
    /// weights are converted now, once: convert a loaded, frozen model.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPTextModel
    {
        CLIPTextModel(converting: self, to: precision, features: features)
    }

    /// The precision of the layers' products (float32 when unconverted, or when the CPU lacks
    /// the kernel asked for).
    public var precision: Precision { layers.first?.fc1.precision ?? .float32 }

    private init(converting model: CLIPTextModel, to precision: Precision, features: CPUFeatures) {
        configuration = model.configuration
        tokenEmbedding = model.tokenEmbedding
        positionEmbedding = model.positionEmbedding
        layers = model.layers.map { $0.converted(to: precision, features: features) }
        finalLayerNorm = model.finalLayerNorm
        textProjection = model.textProjection
    }
}

extension CLIPTextEncoder {
    /// This encoder with its text tower's products at `precision` (see
    /// `CLIPTextModel.converted(to:features:)`); the tokenizer and parameters are shared.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPTextEncoder
    {
        CLIPTextEncoder(
            tokenizer: tokenizer, model: model.converted(to: precision, features: features),
            parameters: parameters)
    }

    /// The precision of the text tower's products.
    public var precision: Precision { model.precision }
}
