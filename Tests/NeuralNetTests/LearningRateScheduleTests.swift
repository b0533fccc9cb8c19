import Foundation
import NeuralNet
import Testing

@Suite struct LearningRateScheduleTests {
    @Test func warmupThenLinearOrCosineDecay() {
        let linear = LearningRateSchedule.linearDecay(warmupSteps: 2, totalSteps: 6)
        #expect((1...7).map { linear.multiplier(step: $0) } == [0.5, 1, 1, 0.75, 0.5, 0.25, 0])
        let cosine = LearningRateSchedule.cosineDecay(warmupSteps: 2, totalSteps: 6)
        let expected: [Double] = [
            0.5, 1, 1, 0.5 * (1 + cos(Double.pi / 4)), 0.5, 0.5 * (1 + cos(3 * Double.pi / 4)), 0,
        ]
        for (step, value) in expected.enumerated() {
            #expect(abs(Double(cosine.multiplier(step: step + 1)) - value) < 1e-6)
        }
        #expect(LearningRateSchedule.constant.multiplier(step: 1000) == 1)
        #expect(
            LearningRateSchedule.linearDecay(warmupSteps: 0, totalSteps: 4).multiplier(step: 1) == 1
        )
    }
}
