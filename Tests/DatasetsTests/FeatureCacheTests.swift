import Testing

@testable import Datasets

@Test func cacheEvictsTheLeastRecentlyUsedWithinItsBudget() {
    let oneClip = ClipFeatures(values: [1, 2, 3, 4], clipCount: 1, featureDimension: 4)  // 16 bytes
    let cache = FeatureCache(capacityBytes: 40)
    cache.store(oneClip, forVideo: "a")
    cache.store(oneClip, forVideo: "b")
    _ = cache.features(forVideo: "a")  // b is now the least recently used
    cache.store(oneClip, forVideo: "c")
    #expect(cache.features(forVideo: "b") == nil)
    #expect(cache.features(forVideo: "a") != nil)
    #expect(cache.features(forVideo: "c") != nil)
    #expect(cache.byteCount == 32)
    let huge = ClipFeatures(
        values: [Float](repeating: 0, count: 11), clipCount: 11, featureDimension: 1)
    cache.store(huge, forVideo: "huge")
    #expect(cache.features(forVideo: "huge") == nil)
    #expect(cache.count == 2)
}
