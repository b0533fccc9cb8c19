import Foundation
import NeuralNet
import Tensors
import Testing
import VTGCore

@Suite struct AdamWTests {
    /// The update formulas in Double, step by step (the oracle for steps after the first two,
    /// which are worked by hand below).
    static func reference(
        start: Double, gradients: [Double], learningRate: Double, weightDecay: Double
    ) -> [Double] {
        var (p, m, v) = (start, 0.0, 0.0)
        var trajectory: [Double] = []
        for (index, g) in gradients.enumerated() {
            let t = Double(index + 1)
            p *= 1 - learningRate * weightDecay
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mHat = m / (1 - pow(0.9, t))
            let vHat = v / (1 - pow(0.999, t))
            p -= learningRate * mHat / (vHat.squareRoot() + 1e-8)
            trajectory.append(p)
        }
        return trajectory
    }

    static func run(weightDecay: Float, gradients: [[Float]]) -> [[Float]] {
        let store = ParameterStore(seed: 1)
        let parameter = store.root.parameter(
            "p", shape: [2], role: .weight, initializer: .values([1, -2]))
        let optimizer = AdamW(groups: [
            ParameterGroup(
                name: "all", entries: store.entries, learningRate: 0.1, weightDecay: weightDecay)
        ])
        var trajectory: [[Float]] = []
        for gradient in gradients {
            parameter.grad = Tensor(shape: [2], scalars: gradient)
            optimizer.step()
            optimizer.zeroGradients()
            trajectory.append(parameter.scalars)
        }
        #expect(optimizer.stepCount == gradients.count)
        return trajectory
    }

    let gradients: [[Float]] = [[0.5, 2], [-0.25, 2], [1, -1], [0.125, 0.5], [-2, 0]]
    // float32 arithmetic on values of order 1 over 5 steps.
    let tolerance: Float = 2e-6

    @Test func withoutWeightDecayMatchesTheFormulas() {
        let trajectory = Self.run(weightDecay: 0, gradients: gradients)
        // Step 1, p = 1, g = 0.5: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025,
        // m̂ = 0.05/(1 − 0.9) = 0.5, v̂ = 0.00025/(1 − 0.999) = 0.25,
        // p ← 1 − 0.1·0.5/(√0.25 + 1e-8) = 0.9. (The first Adam step moves every element by ≈ lr.)
        #expect(abs(trajectory[0][0] - 0.9) < tolerance)
        #expect(abs(trajectory[0][1] - (-2.1)) < tolerance)
        // Step 2, g = −0.25: m = 0.9·0.05 − 0.025 = 0.02, v = 0.999·0.00025 + 0.001·0.0625
        // = 0.00031225, m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031,
        // p ← 0.9 − 0.1·0.1052632/0.3952254 = 0.8733665.
        #expect(abs(trajectory[1][0] - 0.873_366_5) < tolerance)
        for element in 0..<2 {
            let expected = Self.reference(
                start: element == 0 ? 1 : -2, gradients: gradients.map { Double($0[element]) },
                learningRate: 0.1, weightDecay: 0)
            for (step, value) in expected.enumerated() {
                #expect(
                    abs(trajectory[step][element] - Float(value)) < tolerance, "step \(step + 1)")
            }
        }
    }

    @Test func decoupledWeightDecayShrinksBeforeTheUpdate() {
        let trajectory = Self.run(weightDecay: 0.1, gradients: gradients)
        // Step 1: p ← 1·(1 − 0.1·0.1) = 0.99, then the same Adam step of 0.1: 0.89.
        #expect(abs(trajectory[0][0] - 0.89) < tolerance)
        for element in 0..<2 {
            let expected = Self.reference(
                start: element == 0 ? 1 : -2, gradients: gradients.map { Double($0[element]) },
                learningRate: 0.1, weightDecay: 0.1)
            for (step, value) in expected.enumerated() {
                #expect(
                    abs(trajectory[step][element] - Float(value)) < tolerance, "step \(step + 1)")
            }
        }
    }

    @Test func scheduleScalesTheRateAndStateRoundTrips() {
        let store = ParameterStore(seed: 1)
        let parameter = store.root.parameter("p", shape: [1], role: .weight, initializer: .ones)
        let optimizer = AdamW(
            groups: [
                ParameterGroup(
                    name: "all", entries: store.entries, learningRate: 0.1, weightDecay: 0)
            ],
            schedule: .linearDecay(warmupSteps: 2, totalSteps: 4))
        #expect(abs(optimizer.learningRate(group: 0) - 0.05) < 1e-7)
        parameter.grad = Tensor(shape: [1], scalars: [1])
        optimizer.step()
        // The first step's rate is 0.1·(1/2): p = 1 − 0.05.
        #expect(abs(parameter.scalars[0] - 0.95) < 1e-6)
        let state = optimizer.stateTensors()
        #expect(Set(state.keys) == ["exp_avg/p", "exp_avg_sq/p"])
        #expect(abs(state["exp_avg/p"]!.scalars[0] - 0.1) < 1e-7)
    }

    /// The vector loop, its scalar tail and the thread split give every element the bits of
    /// the element-by-element formulas in Float (200 003 elements: split across threads, with a
    /// tail of 3).
    @Test func vectorizedUpdateEqualsTheScalarFormulas() {
        let count = 200_003
        var generator = SeededGenerator(seed: 11)
        let start = (0..<count).map { _ in Float.random(in: -1..<1, using: &generator) }
        let gradients = (0..<3).map { _ in
            (0..<count).map { _ in Float.random(in: -1..<1, using: &generator) }
        }
        let store = ParameterStore(seed: 1)
        let parameter = store.root.parameter(
            "p", shape: [count], role: .weight, initializer: .values(start))
        let optimizer = AdamW(groups: [
            ParameterGroup(
                name: "all", entries: store.entries, learningRate: 0.01, weightDecay: 0.1)
        ])
        var p = start
        var m = [Float](repeating: 0, count: count)
        var v = [Float](repeating: 0, count: count)
        for (index, gradient) in gradients.enumerated() {
            parameter.grad = Tensor(shape: [count], scalars: gradient)
            optimizer.step()
            optimizer.zeroGradients()
            let t = Double(index + 1)
            let decay: Float = 1 - 0.01 * 0.1
            // As AdamW computes them: the Float hyper-parameters widened to Double.
            let stepSize = Float(Double(Float(0.01)) / (1 - pow(Double(Float(0.9)), t)))
            let rootCorrection = Float((1 - pow(Double(Float(0.999)), t)).squareRoot())
            for i in 0..<count {
                let g = gradient[i]
                p[i] *= decay
                m[i] += (g - m[i]) * (1 - 0.9)
                v[i] = v[i] * 0.999 + (1 - 0.999) * g * g
                p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection + 1e-8)
            }
            #expect(parameter.scalars == p)
        }
    }
}
