import Foundation
import Tensors
import Testing

@testable import Grounding

@Suite struct GroundingBenchmarkTests {
    /// A small workload (the figures themselves are timings and not checked: tests share the
    /// machine): the rows are there, in their units, with the workload's counts, and a pair of
    /// inference rows per reduced precision this CPU has a kernel for, the model converted.
    @Test func measuresTrainingAndInference() throws {
        var workload = GroundingBenchmark.Workload(quick: true)
        workload.videos = 12
        workload.featureDimension = 32
        workload.batchSize = 4
        workload.steps = 2
        let result = try GroundingBenchmark.run(
            encoder: HashedWordEncoder(), workload: workload,
            encoderAt: { _ in HashedWordEncoder() })
        let reduced = [Precision.bf16, .int8].filter {
            CPUFeatures.current.supportedPrecision($0) == $0
        }
        #expect(result.reducedPrecision.map(\.precision) == reduced)
        #expect(result.reducedPrecision.allSatisfy { $0.cold.median > 0 && $0.warm.median > 0 })
        #if os(Linux)
            #expect(result.reducedPrecision.allSatisfy { ($0.cpu?.warm ?? 0) > 0 })
            #expect(result.rows.dropFirst().allSatisfy { $0.note.contains("CPU ms per query") })
        #endif
        #expect(result.trainingSamplesPerSecond > 0)
        #expect(result.stepMilliseconds.best > 0)
        #expect(result.stepMilliseconds.best <= result.stepMilliseconds.median)
        #expect(result.queries > 0 && result.distinctQueries <= result.queries)
        #expect(result.coldMillisecondsPerQuery.median > 0)
        #expect(result.warmMillisecondsPerQuery.median > 0)
        #expect(
            result.rows.map(\.unit)
                == ["samples/s", "ms/query", "ms/query"]
                + [String](repeating: "ms/query", count: 2 * reduced.count))
        #expect(result.rows.dropFirst(3).map(\.name).allSatisfy { $0.hasPrefix("inference at ") })
        #expect(result.rows.allSatisfy { $0.group == "grounding" })
        #if os(Linux)
            #expect((result.trainingCPUMillisecondsPerSample ?? 0) > 0)
        #endif
    }
}
