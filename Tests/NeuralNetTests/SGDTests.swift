import NeuralNet
import Tensors
import Testing

@Suite struct SGDTests {
    @Test func momentumAndCoupledWeightDecayByHand() {
        let store = ParameterStore(seed: 1)
        let parameter = store.root.parameter("p", shape: [1], role: .weight, initializer: .ones)
        let optimizer = SGD(
            groups: [
                ParameterGroup(
                    name: "all", entries: store.entries, learningRate: 0.1, weightDecay: 0.1)
            ],
            momentum: 0.9)
        parameter.grad = Tensor(shape: [1], scalars: [0.5])
        optimizer.step()
        // d = 0.5 + 0.1·1 = 0.6, b = 0.6, p = 1 − 0.06 = 0.94
        #expect(abs(parameter.scalars[0] - 0.94) < 1e-6)
        parameter.grad = Tensor(shape: [1], scalars: [0.5])
        optimizer.step()
        // d = 0.5 + 0.094 = 0.594, b = 0.9·0.6 + 0.594 = 1.134, p = 0.94 − 0.1134 = 0.8266
        #expect(abs(parameter.scalars[0] - 0.8266) < 1e-6)
        #expect(Set(optimizer.stateTensors().keys) == ["momentum_buffer/p"])
    }
}
