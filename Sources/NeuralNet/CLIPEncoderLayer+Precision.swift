import Tensors

// Reduced-precision inference for CLIP's transformer layers (see `Precision` and
// Docs/reduced-precision.md): q/k/v/out_proj, fc1 and fc2 at bf16 or int8; layer norms, softmax,
// the activation and residual sums stay float32. The image tower converts its layers with these
// (`CLIPVisionModel.converted(to:features:)`).

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
