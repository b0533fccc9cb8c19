import TestSupport
import Testing
import VTGCore

@testable import Tensors

@Suite struct DropoutKernelsTests {
    @Test func longInputsSplitOverThreadsKeepTheMask() {
        // 2 M elements: split into chunks on several threads; the result must equal the
        // element-by-element definition.
        let x = randomTensor([2_000_003], in: 0.5..<1, seed: 2)
        let y = Tensor.uninitialized(x.shape)
        DropoutKernels.apply(
            input: x.storage.pointer, output: y.storage.pointer, count: x.count,
            probability: 0.2, seed: 77)
        let values = x.scalars
        let result = y.scalars
        let parameters = (threshold: CounterRandom.threshold(0.2), scale: Float(1) / 0.8)
        for index in stride(from: 0, to: x.count, by: 9973) {
            let dropped = CounterRandom.value(seed: 77, index: index) < parameters.threshold
            #expect(result[index] == (dropped ? 0 : values[index] * parameters.scale))
        }
    }

    @Test func backwardRegeneratesTheForwardMask() {
        var generator = SeededGenerator(seed: 4)
        let x = randomTensor([3000], in: 0.5..<1, seed: 1)
        x.requiresGrad = true
        let y = x.dropout(probability: 0.4, using: &generator)
        y.backward(seed: Tensor.ones([3000]))
        let gradient = x.grad?.scalars ?? []
        for (output, (input, g)) in zip(y.scalars, zip(x.scalars, gradient)) {
            // dy/dx is the factor: 0 or 1/0.6, and y = x·factor.
            #expect(g == 0 || abs(g - 1 / 0.6) < 1e-6)
            #expect(output == input * g)
        }
    }
}
