import Datasets
import Testing

@Test func validMaskMarksRealPositions() {
    let plan = PaddingPlan(lengths: [2, 0, 3])
    #expect(plan.paddedLength == 3)
    #expect(plan.batchSize == 3)
    #expect(plan.validMask == [true, true, false, false, false, false, true, true, true])
}

@Test func paddingTokensAndFeatures() {
    let plan = PaddingPlan(lengths: [1, 3], paddedLength: 4)
    #expect(plan.padded([[7], [1, 2, 3]], padding: 0) == [7, 0, 0, 0, 1, 2, 3, 0])
    let features = [
        ClipFeatures(values: [1, 2], clipCount: 1, featureDimension: 2),
        ClipFeatures(values: [3, 4, 5, 6], clipCount: 2, featureDimension: 2),
    ]
    let featurePlan = PaddingPlan(features: features)
    #expect(featurePlan.paddedLength == 2)
    #expect(featurePlan.paddedFeatures(features) == [1, 2, 0, 0, 3, 4, 5, 6])  // [2, 2, 2]
}
