import CKernels
import Foundation
import Testing

/// The kernels' exact GELU, x·Φ(x) with Φ(x) = erfc(−x/√2)/2, against libm in double precision.
@Suite struct ExactGELUTests {
    /// Largest relative error where Φ is not small (x ≥ −2): erf's minimax error (8.9e-8) and a
    /// few float32 roundings; 7.7e-7 seen, near x = −2 where erfc's own error starts to show.
    /// (Abramowitz-Stegun 7.1.26, `Tensor.gelu()`'s erf, is 3e-6 off there.)
    static let relativeTolerance = 1e-6
    /// Largest absolute error anywhere: about |x| times erf's error (3.9e-7 seen at x ≈ 4.9).
    static let absoluteTolerance = 5e-7

    /// The kernels' GELU of `inputs`.
    private func kernelGELU(_ inputs: [Float]) -> [Float] {
        var outputs = [Float](repeating: .nan, count: inputs.count)
        inputs.withUnsafeBufferPointer { input in
            outputs.withUnsafeMutableBufferPointer { output in
                promptvtg_exact_gelu_avx512(
                    input.baseAddress!, output.baseAddress!, Int32(inputs.count))
            }
        }
        return outputs
    }

    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX512_F)))
    func matchesLibmOverADenseRange() {
        // 2^-12 apart over [-20, 20], plus an odd count so that the masked tail runs.
        let inputs = (0...(40 * 4096)).map { Float(-20 + Double($0) / 4096) } + [0.3, -0.7, 1e-3]
        let outputs = kernelGELU(inputs)
        var worstRelative = 0.0
        var worstAbsolute = 0.0
        for (x, y) in zip(inputs, outputs) {
            let value = Double(x)
            let expected = value * erfc(-value / 2.0.squareRoot()) / 2
            let error = abs(Double(y) - expected)
            worstAbsolute = max(worstAbsolute, error)
            if value >= -2 && expected != 0 {
                worstRelative = max(worstRelative, error / abs(expected))
            }
        }
        #expect(worstRelative <= Self.relativeTolerance, "\(worstRelative)")
        #expect(worstAbsolute <= Self.absoluteTolerance, "\(worstAbsolute)")
    }

    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX512_F)))
    func zeroAndLargeMagnitudesAreExact() {
        let large: [Float] = [15, 100, 1e10, 1e30, .greatestFiniteMagnitude]
        let inputs: [Float] = [0] + large + large.map { -$0 }
        let outputs = kernelGELU(inputs)
        // GELU(0) is +0, as the padded rows a row selection leaves.
        #expect(outputs[0].bitPattern == Float(0).bitPattern)
        // Φ rounds to 1 for large x (x itself) and underflows to 0 for large −x.
        #expect(Array(outputs[1...large.count]) == large)
        #expect(outputs[(large.count + 1)...].allSatisfy { $0 == 0 })
    }
}
