import Datasets
import Testing

@Test func featureErrorsNameTheVideoAndTheFile() {
    let errors: [FeatureStoreError] = [
        .missingVideo(videoID: "AO8RW", file: "/f/AO8RW.npy"),
        .wrongFeatureDimension(videoID: "AO8RW", file: "/f/AO8RW.npy", expected: 1024, actual: 500),
        .nonFiniteValue(videoID: "AO8RW", file: "/f/AO8RW.npy", clip: 3, dimension: 7),
        .malformedFile(videoID: "AO8RW", file: "/f/AO8RW.npy", reason: "truncated"),
        .missingKey(videoID: "AO8RW", file: "/f/AO8RW.npy", key: "features", available: ["x"]),
    ]
    for error in errors {
        #expect(error.description.hasPrefix("/f/AO8RW.npy: "))
        #expect(error.description.contains("AO8RW"))
    }
    #expect(
        FeatureStoreError.sourceNotFound(path: "/f").description.hasPrefix("/f: features not found")
    )
}
