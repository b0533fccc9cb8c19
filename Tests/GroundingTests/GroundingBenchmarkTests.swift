import Foundation
import Testing

@testable import Grounding

@Suite struct GroundingBenchmarkTests {
    /// A small workload (the figures themselves are timings and not checked: tests share the
    /// machine): the rows are there, in their units, with the workload's counts.
    @Test func measuresTrainingAndInference() throws {
        var workload = GroundingBenchmark.Workload(quick: true)
        workload.videos = 12
        workload.featureDimension = 32
        workload.batchSize = 4
        workload.steps = 2
        let result = try GroundingBenchmark.run(encoder: HashedWordEncoder(), workload: workload)
        #expect(result.trainingSamplesPerSecond > 0)
        #expect(result.stepMilliseconds.best > 0)
        #expect(result.stepMilliseconds.best <= result.stepMilliseconds.median)
        #expect(result.queries > 0 && result.distinctQueries <= result.queries)
        #expect(result.coldMillisecondsPerQuery.median > 0)
        #expect(result.warmMillisecondsPerQuery.median > 0)
        #expect(result.rows.map(\.unit) == ["samples/s", "ms/query", "ms/query"])
        #expect(result.rows.allSatisfy { $0.group == "grounding" })
        #if os(Linux)
            #expect((result.trainingCPUMillisecondsPerSample ?? 0) > 0)
        #endif
    }
}
