import VTGCore

extension Tensor {
    /// Inverted dropout: each element is zeroed with probability `probability` and the survivors
    /// are scaled by 1/(1 − p), so the expectation is unchanged. Call it in training only.
    /// One number is drawn from `generator` (the mask is a `CounterRandom` stream from it).
    /// Backward: the gradient through the same mask and scale (regenerated, not stored).
    public func dropout(probability: Float, using generator: inout SeededGenerator) -> Tensor {
        precondition(probability >= 0 && probability < 1,
            "dropout: probability must be in [0, 1), got \(probability)")
        if probability == 0 { return self }
        let seed = generator.next()
        let result = Tensor.uninitialized(shape)
        DropoutKernels.apply(
            input: storage.pointer, output: result.storage.pointer, count: count,
            probability: probability, seed: seed)
        return result.recorded("dropout", [self]) { gradient in
            let inputGradient = Tensor.uninitialized(gradient.shape)
            DropoutKernels.apply(
                input: gradient.storage.pointer, output: inputGradient.storage.pointer,
                count: gradient.count, probability: probability, seed: seed)
            return [inputGradient]
        }
    }
}
