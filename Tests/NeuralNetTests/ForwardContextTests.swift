import NeuralNet
import Tensors
import Testing
import VTGCore

@Suite struct ForwardContextTests {
    @Test func modes() {
        #expect(!ForwardContext.evaluation.isTraining)
        let training = ForwardContext.training(generator: SeededGenerator(seed: 3))
        #expect(training.isTraining && training.generator == SeededGenerator(seed: 3))
    }
}
