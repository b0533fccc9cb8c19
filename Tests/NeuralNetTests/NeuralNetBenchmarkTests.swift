import Foundation
import NeuralNet
import Tensors
import Testing

@Suite struct NeuralNetBenchmarkTests {
    @Test func flopsOfTheIssueWorkload() {
        // Per layer: 4·2·5120·256² + 2·2·5120·256·1024 + 2·2·32·160²·256 = 8.892e9; ×4 layers ×3.
        let flops = NeuralNetBenchmark.Workload().flopsPerStep
        #expect(abs(flops - 106.7e9) / 106.7e9 < 1e-3)
    }

    @Test func smallWorkloadRunsEveryRow() {
        var workload = NeuralNetBenchmark.Workload()
        workload.layerCount = 1
        workload.batchSize = 2
        workload.sequenceLength = 8
        workload.hiddenSize = 16
        workload.intermediateSize = 32
        let rows = NeuralNetBenchmark.run(quick: true, workload: workload)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.millisecondsPerStep > 0 && $0.gigaflopsPerSecond > 0 })
    }

    /// The full benchmark, only when asked for (release build):
    /// `VTG_NEURALNET_BENCH=1 VTG_THREADS=1 swift test ... --filter NeuralNetBenchmarkTests`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["VTG_NEURALNET_BENCH"] != nil))
    func issueWorkload() {
        let quick = ProcessInfo.processInfo.environment["VTG_NEURALNET_BENCH"] == "quick"
        for row in NeuralNetBenchmark.run(quick: quick) { print(row) }
    }
}
