import Datasets
import Testing

@Test func rowsAndL2Normalization() {
    let features = ClipFeatures(values: [3, 4, 0, 0, 1, 0], clipCount: 3, featureDimension: 2)
    #expect(Array(features.row(1)) == [0, 0])
    let normalized = features.l2Normalized()
    #expect(normalized.values == [0.6, 0.8, 0, 0, 1, 0])
    #expect(features.byteCount == 24)
}

@Test func firstNonFiniteValueIsLocated() {
    let features = ClipFeatures(
        values: [0, 1, 2, .nan, 4, .infinity], clipCount: 3, featureDimension: 2)
    let position = features.firstNonFiniteValue()
    #expect(position?.clip == 1 && position?.dimension == 1)
    #expect(
        ClipFeatures(values: [1], clipCount: 1, featureDimension: 1).firstNonFiniteValue() == nil)
}
