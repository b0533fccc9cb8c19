// Fused layer normalisation over the last axis.

extension Tensor {
    /// Layer normalisation over the last axis: y = (x − mean) / √(var + ε) · weight + bias, with
    /// the biased variance (as PyTorch). `weight` and `bias` have the shape `[features]`.
    ///
    /// Backward, with x̂ = (x − mean)·r, r = 1/√(var + ε), ĝ = g ⊙ weight, over the n features:
    /// dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)); dweight = Σ_rows g ⊙ x̂; dbias = Σ_rows g.
    public func layerNorm(weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let features = shape.last ?? 1
        precondition(rank >= 1 && weight.shape == [features] && bias.shape == [features],
            "layerNorm: input \(shape), weight \(weight.shape), bias \(bias.shape)")
        let rows = features == 0 ? 0 : count / features
        let result = Tensor.uninitialized(shape)
        var means = [Float](repeating: 0, count: rows)
        var reciprocalDeviations = [Float](repeating: 0, count: rows)
        let source = storage.pointer
        let out = result.storage.pointer
        let gamma = weight.storage.pointer
        let beta = bias.storage.pointer
        means.withUnsafeMutableBufferPointer { meanBuffer in
            reciprocalDeviations.withUnsafeMutableBufferPointer { deviationBuffer in
                let saved = UncheckedSendable((meanBuffer.baseAddress!, deviationBuffer.baseAddress!))
                ComputeThreads.forEachChunk(total: rows, unitsPerElement: features * 4) { range in
                    let (meanPointer, deviationPointer) = saved.value
                    for row in range {
                        let x = source + row * features
                        let y = out + row * features
                        let mean = Tensor.rowSum(x, count: features) / Float(features)
                        var squares = SIMD16<Float>()
                        var index = 0
                        while index + 16 <= features {
                            let centered =
                                UnsafeRawPointer(x + index).loadUnaligned(as: SIMD16<Float>.self)
                                - mean
                            squares += centered * centered
                            index += 16
                        }
                        var variance = squares.sum()
                        while index < features {
                            variance += (x[index] - mean) * (x[index] - mean)
                            index += 1
                        }
                        variance /= Float(features)
                        let reciprocal = 1 / (variance + epsilon).squareRoot()
                        for index in 0..<features {
                            y[index] = (x[index] - mean) * reciprocal * gamma[index] + beta[index]
                        }
                        meanPointer[row] = mean
                        deviationPointer[row] = reciprocal
                    }
                }
            }
        }
        return result.recorded("layerNorm", [self, weight, bias]) { gradient in
            let inputGradient = Tensor.uninitialized(self.shape)
            let (weightGradient, biasGradient) = LayerNormKernels.backward(
                gradient: gradient.storage.pointer, input: source, weight: gamma, means: means,
                reciprocalDeviations: reciprocalDeviations, rows: rows, features: features,
                inputGradient: inputGradient.storage.pointer)
            return [inputGradient, weightGradient, biasGradient]
        }
    }
}
