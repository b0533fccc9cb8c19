extension Tensor {
    /// Inverted dropout: each element is zeroed with probability `probability` and the survivors
    /// are scaled by 1/(1 − p), so the expectation is unchanged. Call it in training only.
    /// Backward: the gradient through the same mask and scale.
    public func dropout(probability: Float, using generator: inout SeededGenerator) -> Tensor {
        precondition(probability >= 0 && probability < 1,
            "dropout: probability must be in [0, 1), got \(probability)")
        if probability == 0 { return self }
        let scale = 1 / (1 - probability)
        let keep = Tensor.uninitialized(shape)
        let mask = keep.storage.pointer
        for index in 0..<count {
            mask[index] = generator.nextUnitFloat() >= probability ? scale : 0
        }
        let result = Tensor.broadcasting(self, keep, "dropout", *)
        return result.recorded("dropout", [self]) { gradient in [gradient * keep] }
    }
}
