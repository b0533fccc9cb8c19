import Foundation
import Testing
import Tensors
import TestSupport
import VTGCore

@Suite struct AutodiffTests {
    @Test func gradientsAccumulateAcrossUsesAndCalls() {
        // y = x·x + x at x = 3: dy/dx = 2x + 1 = 7; a second backward adds another 7.
        let x = Tensor(shape: [1], scalars: [3], requiresGrad: true)
        (x * x + x).sum().backward()
        #expect(x.grad?.item == 7)
        (x * x + x).sum().backward()
        #expect(x.grad?.item == 14)
        x.zeroGradient()
        #expect(x.grad == nil)
    }

    @Test func seedGradientForNonScalars() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        (x * 3).backward(seed: Tensor(shape: [2], scalars: [1, 10]))
        #expect(x.grad?.scalars == [3, 30])
    }

    @Test func noGradScopeRecordsNothingAndDetachCutsTheTape() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let y = withGradientsDisabled { x * 2 }
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        let z = (x.detached() * x).sum()
        z.backward()
        #expect(x.grad?.scalars == [1, 2])
    }

    @Test func tapeHoldsNoReferenceCycles() {
        weak var weakIntermediate: Tensor?
        weak var weakLoss: Tensor?
        let x = Tensor(shape: [4], scalars: [1, 2, 3, 4], requiresGrad: true)
        do {
            let intermediate = x.exp().tanh()
            let loss = (intermediate * intermediate).sum()
            weakIntermediate = intermediate
            weakLoss = loss
        }
        #expect(weakIntermediate == nil)
        #expect(weakLoss == nil)
        do {
            let intermediate = x.sigmoid()
            let loss = intermediate.softmax(axis: 0).sum()
            weakIntermediate = intermediate
            loss.backward()
        }
        #expect(weakIntermediate == nil)
    }

    /// A 2-16-1 MLP trained with plain gradient descent; returns the losses and the final accuracy.
    func trainXOR(steps: Int) -> (losses: [Float], accuracy: Float) {
        var generator = SeededGenerator(seed: 2024)
        let w1 = Tensor.randomNormal([2, 16], standardDeviation: 1, using: &generator)
        let b1 = Tensor.zeros([16])
        let w2 = Tensor.randomNormal([16, 1], standardDeviation: 0.5, using: &generator)
        let b2 = Tensor.zeros([1])
        let parameters = [w1, b1, w2, b2]
        for parameter in parameters { parameter.requiresGrad = true }
        let inputs = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let targets = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        var losses: [Float] = []
        var logits = Tensor.zeros([4, 1])
        for _ in 0..<steps {
            let hidden = (matmul(inputs, w1) + b1).tanh()
            logits = matmul(hidden, w2) + b2
            let loss = logits.binaryCrossEntropyWithLogits(targets: targets)
            losses.append(loss.item)
            loss.backward()
            withGradientsDisabled {
                for parameter in parameters {
                    parameter.assign(parameter - parameter.grad! * 0.5)
                    parameter.zeroGradient()
                }
            }
        }
        let predictions = logits.scalars.map { $0 > 0 ? Float(1) : 0 }
        let correct = zip(predictions, targets.scalars).filter { $0 == $1 }.count
        return (losses, Float(correct) / 4)
    }

    @Test func mlpLearnsXORReproducibly() {
        // Seed 2024, lr 0.5: the loss is below 0.05 and all four cases are right after 500 steps.
        let first = trainXOR(steps: 500)
        let second = trainXOR(steps: 500)
        #expect(first.accuracy == 1)
        #expect(first.losses.last! < 0.05)
        #expect(first.losses == second.losses)
    }

    @Test func tenThousandTrainingStepsKeepMemoryFlat() {
        var generator = SeededGenerator(seed: 1)
        let w1 = Tensor.randomNormal([32, 64], standardDeviation: 0.1, using: &generator)
        let w2 = Tensor.randomNormal([64, 8], standardDeviation: 0.1, using: &generator)
        w1.requiresGrad = true
        w2.requiresGrad = true
        let x = Tensor.randomNormal([16, 32], using: &generator)
        let targets = (0..<16).map { $0 % 8 }
        func step() {
            let loss = matmul(matmul(x, w1).gelu(), w2).crossEntropy(targets: targets)
            loss.backward()
            withGradientsDisabled {
                w1.assign(w1 - w1.grad! * 0.01)
                w2.assign(w2 - w2.grad! * 0.01)
            }
            w1.zeroGradient()
            w2.zeroGradient()
        }
        // Other tests run alongside this one, so count only the tensors this test creates (a
        // ledger), and compare the minimum over a window before and after: a leak of even one
        // 64-byte tensor per step would add 640 KB over 10,000 steps.
        // (Resident memory of the whole process is reported by `vtg bench`, in its own process.)
        TensorMemory.withLedger { ledger in
            func quietLiveBytes() -> Int {
                var lowest = Int.max
                for _ in 0..<200 {
                    step()
                    lowest = min(lowest, ledger.liveBytes)
                }
                return lowest
            }
            for _ in 0..<1000 { step() }
            let before = quietLiveBytes()
            for _ in 0..<10_000 { step() }
            let after = quietLiveBytes()
            #expect(after - before < 64 * 10_000, "live tensor bytes grew from \(before) to \(after)")
        }
    }
}
