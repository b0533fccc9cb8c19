import Datasets
import Extraction
import Foundation
import Tensors
import TestSupport
import Testing
import VideoDecoding
import VisionEncoding

@Suite struct ClipFeatureExtractorTests {
    /// Float32 embeddings of width 32 computed in batches of different sizes: the products may be
    /// summed in another order, a few units in the last place of values of order 1.
    static let batchingTolerance: Float = 1e-5

    static func encoder() throws -> CLIPImageEncoder {
        try CLIPImageEncoder(directory: ExtractionFixtures.tinyCLIP)
    }

    /// Decodes `path` with the sampler and encodes every sampled frame in one call: the direct
    /// way, against which the streaming extractor is checked. Rows in sampling order.
    static func directEmbeddings(
        path: String, sampling: ClipSampling, encoder: CLIPImageEncoder
    ) throws -> (embeddings: [Float], clips: Int) {
        let sampler = try ClipFrameSampler(path: path, sampling: sampling)
        var images: [RGBImage] = []
        while let sample = try sampler.next() {
            let frame = sample.frame
            images.append(RGBImage(width: frame.width, height: frame.height, bytes: frame.rgb))
        }
        return (encoder.embeddings(of: images).scalars, sampler.clipCount ?? 0)
    }

    @Test func featuresOfBikesEqualADirectDecodePreprocessEncode() throws {
        let encoder = try Self.encoder()
        let path = TestVideoFolder.path("bikes.mp4")
        let extractor = ClipFeatureExtractor(encoder: encoder, batchSize: 4)
        var progress: [Int] = []
        let video = try extractor.extract(path: path) { progress.append($0) }
        let direct = try Self.directEmbeddings(
            path: path, sampling: ClipSampling(), encoder: encoder)
        // 10 s in clips of 2 s: 5 clips, encoded in batches of 4 and 1.
        #expect(video.features.clipCount == 5 && direct.clips == 5)
        #expect(video.features.featureDimension == 32)
        #expect(video.durationSeconds == 10)
        #expect(video.decodedFrameCount == 250)
        #expect(progress == [4, 5])
        let difference = zip(video.features.values, direct.embeddings).map { abs($0 - $1) }.max()
        #expect((difference ?? .infinity) <= Self.batchingTolerance)
        #expect(video.timing.encodeSeconds > 0 && video.timing.decodeSeconds > 0)
        #expect(video.timing.preprocessSeconds > 0)
    }

    @Test func severalFramesPerClipAverageTheirEmbeddingsThenNormalise() throws {
        let encoder = try Self.encoder()
        let path = TestVideoFolder.path("bikes.mp4")
        let sampling = ClipSampling(clipSeconds: 2, framesPerClip: 3)
        let extractor = ClipFeatureExtractor(
            encoder: encoder, sampling: sampling, normalize: true, batchSize: 32)
        let video = try extractor.extract(path: path)
        let direct = try Self.directEmbeddings(path: path, sampling: sampling, encoder: encoder)
        let width = 32
        #expect(video.features.clipCount == 5)
        for clip in 0..<5 {
            var mean = [Float](repeating: 0, count: width)
            for sample in 0..<3 {
                let row = (clip * 3 + sample) * width
                for column in 0..<width { mean[column] += direct.embeddings[row + column] }
            }
            let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let expected = mean.map { $0 / norm }
            let actual = Array(video.features.row(clip))
            let difference = zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(difference <= Self.batchingTolerance, "clip \(clip)")
        }
    }

    @Test func aFileTruncatedMidBatchThrowsItsDecodingErrorAfterEncodingSomeBatches() throws {
        let extractor = ClipFeatureExtractor(encoder: try Self.encoder(), batchSize: 4)
        let path = TestVideoFolder.path("generated/truncated-vtest.avi")
        var progress: [Int] = []
        #expect {
            _ = try extractor.extract(path: path) { progress.append($0) }
        } throws: { error in
            guard case VideoDecodingError.truncated(let errorPath, _, _) = error else {
                return false
            }
            return errorPath == path
        }
        // The cut comes after several full batches, with a batch part-filled.
        #expect(progress.count >= 2)
    }

    @Test func theKindAndWidthComeFromTheModel() throws {
        let extractor = ClipFeatureExtractor(encoder: try Self.encoder())
        #expect(extractor.featureKind == "clip-vit-w64x2-32")
        #expect(extractor.featureDimension == 32)
    }
}
