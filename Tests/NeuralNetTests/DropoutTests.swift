import NeuralNet
import Tensors
import Testing
import VTGCore

@Suite struct DropoutTests {
    @Test func identityInEvaluation() {
        let x = Tensor.ones([1000])
        var context = ForwardContext.evaluation
        #expect(Dropout(probability: 0.5)(x, context: &context) === x)
    }

    @Test func dropsInTrainingFromTheContextGenerator() {
        let x = Tensor.ones([100_000])
        var context = ForwardContext.training(generator: SeededGenerator(seed: 1))
        let y = Dropout(probability: 0.2)(x, context: &context).scalars
        let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
        // σ = √(0.16/1e5) ≈ 0.0013; 5σ.
        #expect(abs(dropped - 0.2) < 0.0065)
        #expect(context.generator != SeededGenerator(seed: 1))
        var again = ForwardContext.training(generator: SeededGenerator(seed: 1))
        #expect(Dropout(probability: 0.2)(x, context: &again).scalars == y)
    }
}
