import Tensors

// Reduced-precision inference for CLIP's transformer layers (see `Precision` and
// Docs/reduced-precision.md): q/k/v/out_proj, fc1 and fc2 at bf16 or int8; layer norms, softmax,
// the activation and residual sums stay float32. The image tower converts its layers with these
// (`CLIPVisionModel.converted(to:features:)`). Also the few-row float32 packing of the same six
// products (`Linear.packedForFewRows(features:)`), which the text tower uses for short queries.

extension CLIPEncoderLayer {
    /// This layer with its six products (q, k, v, out_proj, fc1, fc2) at `precision` for
    /// inference (see `Linear.converted(to:features:)`).
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPEncoderLayer
    {
        CLIPEncoderLayer(self) { $0.converted(to: precision, features: features) }
    }

    /// This layer with its six products packed for the few-row float32 kernel (see
    /// `Linear.packedForFewRows(features:)`).
    public func packedForFewRows(features: CPUFeatures = .current) -> CLIPEncoderLayer {
        CLIPEncoderLayer(self) { $0.packedForFewRows(features: features) }
    }

    /// `layer` with `transform` applied to each of its six linear layers.
    private init(_ layer: CLIPEncoderLayer, transform: (Linear) -> Linear) {
        attentionNorm = layer.attentionNorm
        attention = CLIPAttention(layer.attention, transform: transform)
        mlpNorm = layer.mlpNorm
        fc1 = transform(layer.fc1)
        fc2 = transform(layer.fc2)
        activation = layer.activation
    }
}

extension CLIPAttention {
    /// This attention with its four projections at `precision` for inference (see
    /// `Linear.converted(to:features:)`); the scores, softmax and mixing stay float32.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> CLIPAttention
    {
        CLIPAttention(self) { $0.converted(to: precision, features: features) }
    }

    /// `attention` with `transform` applied to each of its four projections.
    init(_ attention: CLIPAttention, transform: (Linear) -> Linear) {
        query = transform(attention.query)
        key = transform(attention.key)
        value = transform(attention.value)
        output = transform(attention.output)
        headCount = attention.headCount
    }
}
