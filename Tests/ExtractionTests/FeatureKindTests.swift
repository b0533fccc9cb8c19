import Extraction
import Testing
import VideoDecoding
import VisionEncoding

@Suite struct FeatureKindTests {
    @Test func openAIArchitecturesHaveTheirNames() {
        let sampling = ClipSampling()
        #expect(
            FeatureKind.clipImage(CLIPVisionConfiguration(), sampling: sampling) == "clip-vit-b-32")
        let base16 = CLIPVisionConfiguration(patchSize: 16)
        #expect(FeatureKind.clipImage(base16, sampling: sampling) == "clip-vit-b-16")
        let large336 = CLIPVisionConfiguration(
            imageSize: 336, patchSize: 14, hiddenSize: 1024, layerCount: 24, headCount: 16,
            intermediateSize: 4096, projectionSize: 768)
        #expect(FeatureKind.clipImage(large336, sampling: sampling) == "clip-vit-l-14-336")
    }

    @Test func otherSizesAndSamplingsAreSpelledOut() {
        let tiny = CLIPVisionConfiguration(
            hiddenSize: 64, layerCount: 2, headCount: 4, intermediateSize: 256, projectionSize: 32)
        #expect(FeatureKind.clipImage(tiny, sampling: ClipSampling()) == "clip-vit-w64x2-32")
        let base = CLIPVisionConfiguration()
        #expect(
            FeatureKind.clipImage(base, sampling: ClipSampling(clipSeconds: 1, framesPerClip: 4))
                == "clip-vit-b-32-1s-f4")
        #expect(
            FeatureKind.clipImage(base, sampling: ClipSampling(clipSeconds: 1.5))
                == "clip-vit-b-32-1.5s")
    }

    @Test func theSamplingOfAKindIsReadBack() {
        #expect(FeatureKind.sampling(of: "clip-vit-b-32") == ClipSampling())
        #expect(
            FeatureKind.sampling(of: "clip-vit-l-14-336-1.5s-f4")
                == ClipSampling(clipSeconds: 1.5, framesPerClip: 4))
        #expect(
            FeatureKind.sampling(of: "clip-vit-w64x2-32-1s") == ClipSampling(clipSeconds: 1))
        #expect(FeatureKind.sampling(of: "i3d") == nil)
        let base = CLIPVisionConfiguration()
        let sampling = ClipSampling(clipSeconds: 3, framesPerClip: 2)
        #expect(
            FeatureKind.sampling(of: FeatureKind.clipImage(base, sampling: sampling)) == sampling)
    }
}
