import Tensors
import Testing

@testable import VisionEncoding

@Suite struct CLIPVisionBenchmarkTests {
    @Test("ViT-B/32 costs 8.82 GFLOP per frame")
    func flops() {
        // 2·(49·3072·768 + 12·(4·50·768² + 2·50²·768 + 2·50·768·3072) + 768·512)
        #expect(CLIPVisionBenchmark.flopsPerFrame(CLIPVisionConfiguration()) == 8_817_623_040)
    }

    @Test("a quick run: a row per thread count and precision the CPU runs, then preprocessing")
    func quickRun() {
        // At the current thread count only: tests run in parallel and share the setting.
        let threads = ComputeThreads.count
        let configuration = CLIPVisionConfiguration(
            imageSize: 224, patchSize: 32, hiddenSize: 32, layerCount: 1, headCount: 2,
            intermediateSize: 64, projectionSize: 16)
        let rows = CLIPVisionBenchmark.run(
            configuration: configuration, threadCounts: [threads, threads], quick: true)
        let precisions = [Precision.bf16, .int8].filter {
            CPUFeatures.current.supportedPrecision($0) == $0
        }
        let perThreadCount = 1 + precisions.count
        #expect(rows.count == 2 * perThreadCount + 1)
        #expect(
            rows.allSatisfy { $0.rate > 0 && $0.unit == "frames/s" && $0.group == "CLIP image" })
        #expect(rows[perThreadCount].name == "encode batch of 32, threads \(threads)")
        for (offset, precision) in precisions.enumerated() {
            #expect(rows[1 + offset].name == "encode batch of 32, \(precision), threads \(threads)")
        }
        #expect(rows[2 * perThreadCount].name.hasPrefix("preprocess"))
    }
}
