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
        CLIPTextModel(self) { $0.converted(to: precision, features: features) }
    }

    /// This model with its layers' products also packed for the few-row float32 kernel (see
    /// `Linear.packedForFewRows(features:)`): a pass over one short query (at most
    /// `PackedLinearWeights.float32RowLimit` tokens in the batch) reads the packed weights instead
    /// of OpenBLAS re-packing all of them on every product; larger batches are unchanged. Costs
    /// a second copy of the layers' weights (151 MB for ViT-B/32's text tower).
    public func packedForFewRows(features: CPUFeatures = .current) -> CLIPTextModel {
        CLIPTextModel(self) { $0.packedForFewRows(features: features) }
    }

    /// The precision of the layers' products (float32 when unconverted, or when the CPU lacks
    /// the kernel asked for).
    public var precision: Precision { layers.first?.fc1.precision ?? .float32 }

    /// `model` with `transform` applied to each encoder layer.
    private init(_ model: CLIPTextModel, transform: (CLIPEncoderLayer) -> CLIPEncoderLayer) {
        configuration = model.configuration
        tokenEmbedding = model.tokenEmbedding
        positionEmbedding = model.positionEmbedding
        layers = model.layers.map(transform)
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

    /// This encoder with its text tower packed for few-row float32 products (see
    /// `CLIPTextModel.packedForFewRows(features:)`): faster single queries at float32.
    public func packedForFewRows(features: CPUFeatures = .current) -> CLIPTextEncoder {
        CLIPTextEncoder(
            tokenizer: tokenizer, model: model.packedForFewRows(features: features),
            parameters: parameters)
    }

    /// The precision of the text tower's products.
    public var precision: Precision { model.precision }
}
