import Datasets
import Testing

/// Ten clips of one dimension holding 0...9.
private let ramp = ClipFeatures(
    values: (0..<10).map(Float.init), clipCount: 10, featureDimension: 1)

@Test func averagePoolingOverEqualBins() {
    // 10 clips into 4 bins: edges round(0, 2.5, 5, 7.5, 10) half-to-even = 0, 2, 5, 8, 10.
    let pooled = TemporalResampling.averagePooling.resample(ramp, maxClips: 4)
    #expect(pooled.values == [0.5, 3, 6, 8.5])
    #expect(pooled.clipCount == 4)
}

@Test func averagePoolingIncludesTheLastClip() {
    let pooled = TemporalResampling.averagePooling.resample(ramp, maxClips: 3)
    // edges 0, 3, 7, 10 (3.33 → 3, 6.67 → 7).
    #expect(pooled.values == [1, 4.5, 8])
}

@Test func nearestIndexTakesBinCentres() {
    let sampled = TemporalResampling.nearestIndex.resample(ramp, maxClips: 4)
    // centres (i + 0.5) · 2.5 = 1.25, 3.75, 6.25, 8.75 → floor 1, 3, 6, 8.
    #expect(sampled.values == [1, 3, 6, 8])
}

@Test func shortVideosAreUnchanged() {
    #expect(TemporalResampling.averagePooling.resample(ramp, maxClips: 10) == ramp)
    #expect(TemporalResampling.nearestIndex.resample(ramp, maxClips: 64) == ramp)
}

@Test func poolingKeepsEveryDimension() {
    let features = ClipFeatures(
        values: [0, 10, 2, 12, 4, 14, 6, 16], clipCount: 4, featureDimension: 2)
    #expect(
        TemporalResampling.averagePooling.resample(features, maxClips: 2).values == [1, 11, 5, 15])
}
