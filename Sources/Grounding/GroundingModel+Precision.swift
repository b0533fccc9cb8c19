import NeuralNet
import Tensors

// Reduced-precision inference for the grounding model (see `Precision` and
// Docs/reduced-precision.md): its linear products at bf16 or int8 for evaluation and grounding
// only. Training stays float32: a pass that records gradients multiplies by the float32
// weights whatever the layer's precision (`linear(_:packedWeight:bias:rows:)`).

extension GroundingModel {
    /// This model with every linear product (video projection, video and fusion layers, text
    /// projection, query interaction, the scratch text encoder's layers and the span head's
    /// four products) at `precision` for inference (see `Linear.converted(to:features:)`);
    /// embeddings, layer norms, attention, softmax, activations and residual sums stay float32.
    /// A snapshot of the weights: convert after loading them.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> GroundingModel
    {
        var copy = self
        copy.videoProjection = videoProjection.converted(to: precision, features: features)
        copy.videoEncoder = videoEncoder?.converted(to: precision, features: features)
        copy.textProjection = textProjection.converted(to: precision, features: features)
        if let scratchText {
            copy.scratchText = (
                scratchText.words, scratchText.positions,
                scratchText.encoder.converted(to: precision, features: features)
            )
        }
        copy.queryInteraction = queryInteraction.converted(to: precision, features: features)
        copy.fusionEncoder = fusionEncoder.converted(to: precision, features: features)
        copy.head = head.converted(to: precision, features: features)
        return copy
    }

    /// The precision of the model's inference products (every product is converted together;
    /// float32 unless `converted(to:features:)` gave it another).
    public var precision: Precision { videoProjection.precision }
}

extension SpanHead {
    /// This head with its four products at `precision` for inference (see
    /// `Linear.converted(to:features:)`).
    public func converted(to precision: Precision, features: CPUFeatures = .current) -> SpanHead {
        var copy = self
        copy.insideHidden = insideHidden.converted(to: precision, features: features)
        copy.insideOutput = insideOutput.converted(to: precision, features: features)
        copy.spanHidden = spanHidden.converted(to: precision, features: features)
        copy.spanOutput = spanOutput.converted(to: precision, features: features)
        return copy
    }
}

extension GroundingNetwork {
    /// Runs the grounding model's inference products at `precision` from now on (float32 where
    /// `features` lack its kernel; see `GroundingModel.converted(to:features:)`): for
    /// evaluation and grounding of trained weights, after they are loaded. The heads prompt
    /// members read (member 0's is a copy of the model's, taken when the network was built) and
    /// a side network stay float32 (small next to the backbone). Returns the precision that
    /// runs.
    ///
    /// The converted weights are a snapshot: training this network afterwards trains the
    /// float32 weights, which its inference passes would no longer read; convert back to
    /// float32 (or build a new network) before training.
    @discardableResult
    public func convertModel(to precision: Precision, features: CPUFeatures = .current)
        -> Precision
    {
        model = model.converted(to: precision, features: features)
        return model.precision
    }

    /// The precision of the grounding model's inference products.
    public var modelPrecision: Precision { model.precision }
}
