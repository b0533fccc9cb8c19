import Testing
@testable import Tensors
import TestSupport

@Suite struct BroadcastingTests {
    @Test func resultShapesFollowNumPy() {
        #expect(BroadcastPlan.resultShape([2, 1, 4], [3, 1], operation: "test") == [2, 3, 4])
        #expect(BroadcastPlan.resultShape([], [5], operation: "test") == [5])
        #expect(BroadcastPlan.resultShape([0, 3], [1, 3], operation: "test") == [0, 3])
    }

    @Test func contiguousAxesCollapseIntoOneInnerLoop() {
        let plan = BroadcastPlan([4, 5, 6], [5, 6], operation: "test")
        #expect(plan.extents == [4, 30])
        #expect(plan.rightStrides == [0, 1])
    }

    @Test func summedToShapeIsTheAdjointOfExpand() {
        // ⟨expand(x), y⟩ = ⟨x, sum_to_shape(y)⟩ for every x, y.
        let x = randomTensor([3, 1, 2], seed: 1)
        let y = randomTensor([4, 3, 5, 2], seed: 2)
        let left = (x.expanded(to: y.shape) * y).sum().item
        let right = (x * y.summed(toShape: x.shape)).sum().item
        #expect(abs(left - right) < 1e-4)
    }
}
