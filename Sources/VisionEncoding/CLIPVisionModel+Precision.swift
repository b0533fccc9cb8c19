import NeuralNet
import Tensors

// Reduced-precision inference for the CLIP image tower (see `Precision` and
// Docs/reduced-precision.md): every weight product of the encoder, that is the patch
// "convolution", and per layer q/k/v/out_proj, fc1 and fc2, at bf16 or int8; layer norms,
// softmax, the activation, residual sums, the class token, positions and the small
// `visual_projection` (one row per image, under 0.01 % of the work) stay float32.

extension CLIPVisionModel {
    /// This model with its products at `precision` for inference, or at float32 when
    /// `features` lack the precision's kernel (see `Linear.converted(to:features:)`). The
    /// weights are converted now, once: convert a loaded, frozen model.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPVisionModel
    {
        CLIPVisionModel(converting: self, to: precision, features: features)
    }

    /// The precision of the encoder layers' products (float32 when unconverted, or when the
    /// CPU lacks the kernel asked for).
    public var precision: Precision { layers.first?.fc1.precision ?? embeddings.precision }

    private init(converting model: CLIPVisionModel, to precision: Precision, features: CPUFeatures)
    {
        configuration = model.configuration
        embeddings = model.embeddings.converted(to: precision, features: features)
        preLayerNorm = model.preLayerNorm
        layers = model.layers.map { $0.converted(to: precision, features: features) }
        postLayerNorm = model.postLayerNorm
        visualProjection = model.visualProjection
    }
}

extension CLIPVisionEmbeddings {
    /// These embeddings with the patch projection at `precision` for inference, or float32
    /// when `features` lack its kernel; the class token and positions stay float32.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPVisionEmbeddings
    {
        let supported = features.supportedPrecision(precision)
        if supported == self.precision { return self }
        var copy = self
        copy.packedPatchWeight =
            supported == .float32
            ? nil
            : PackedLinearWeights(
                patchWeight.reshaped(to: [configuration.hiddenSize, configuration.patchLength]),
                precision: supported)
        return copy
    }

    /// The precision of the patch projection.
    public var precision: Precision { packedPatchWeight?.precision ?? .float32 }
}

extension CLIPEncoderLayer {
    /// This layer with its six products (q, k, v, out_proj, fc1, fc2) at `precision` for
    /// inference (see `Linear.converted(to:features:)`).
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPEncoderLayer
    {
        CLIPEncoderLayer(converting: self, to: precision, features: features)
    }

    private init(converting layer: CLIPEncoderLayer, to precision: Precision, features: CPUFeatures)
    {
        attentionNorm = layer.attentionNorm
        attention = layer.attention.converted(to: precision, features: features)
        mlpNorm = layer.mlpNorm
        fc1 = layer.fc1.converted(to: precision, features: features)
        fc2 = layer.fc2.converted(to: precision, features: features)
        activation = layer.activation
    }
}

extension CLIPAttention {
    /// This attention with its four projections at `precision` for inference (see
    /// `Linear.converted(to:features:)`); the scores, softmax and mixing stay float32.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPAttention
    {
        CLIPAttention(converting: self, to: precision, features: features)
    }

    private init(
        converting attention: CLIPAttention, to precision: Precision, features: CPUFeatures
    ) {
        query = attention.query.converted(to: precision, features: features)
        key = attention.key.converted(to: precision, features: features)
        value = attention.value.converted(to: precision, features: features)
        output = attention.output.converted(to: precision, features: features)
        headCount = attention.headCount
    }
}
