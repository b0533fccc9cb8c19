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
