import Foundation
import NeuralNet
import Tensors
import Testing

@Suite struct ActivationTests {
    @Test func valuesAndHuggingFaceNames() {
        let x = Tensor(shape: [3], scalars: [-1, 0, 2])
        #expect(Activation.relu(x).scalars == [0, 0, 2])
        // gelu(2) = 2·Φ(2) = 2·0.977250 ; gelu(−1) = −Φ(−1) = −0.158655
        let gelu = Activation.gelu(x).scalars
        #expect(abs(gelu[0] + 0.158_655) < 1e-5 && gelu[1] == 0 && abs(gelu[2] - 1.954_500) < 1e-5)
        // tanh form at 2: 0.5·2·(1 + tanh(√(2/π)·(2 + 0.044715·8))) = 1.954598
        #expect(abs(Activation.geluTanh(x).scalars[2] - 1.954_598) < 1e-5)
        #expect(
            Activation(rawValue: "gelu") == .gelu && Activation(rawValue: "gelu_new") == .geluTanh)
    }
}
