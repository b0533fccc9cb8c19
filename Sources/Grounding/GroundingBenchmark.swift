import Datasets
import Foundation
import NeuralNet
import Tensors
import VTGCore

/// The grounding rows of `vtg bench`: training and batched inference of the default
/// Charades-STA model on a generated benchmark of the held-out shape (Charades-STA layout,
/// 1,024-d clip features, videos of 20–40 one-second clips resampled to at most 64, batch 16).
///
/// - Training: steps of the training loop as `vtg train` takes them (batch built from the
///   feature store and the cached MiniLM states, forward, backward, gradient clipping, AdamW),
///   text states prepared first as training does; samples per second over the timed steps.
/// - Inference: `GroundingNetwork.predict` over the test split, as `vtg eval` runs it, with
///   a cold text-state cache, so every query's text encoding is part of the time; and the same
///   with the states already cached (what `vtg eval` prints). Milliseconds per query.
/// - Reduced-precision inference: the same two passes with the text encoder and the grounding
///   model's products at bf16 and at int8 (`vtg eval --precision P --model-precision P`), for
///   each precision this CPU has a kernel for; the model is the float32 one trained above,
///   converted (`GroundingNetwork.convertModel`).
public enum GroundingBenchmark {
    /// The benchmark's shape.
    public struct Workload: Sendable {
        /// Synthetic videos (the layout's 80 / 20 train / test split).
        public var videos = 200
        /// Clip feature width (I3D's, as Charades-STA's released features).
        public var featureDimension = 1024
        /// Samples per training step.
        public var batchSize = 16
        /// Training steps timed (after `warmupSteps`).
        public var steps = 20
        /// Untimed steps first (allocation pools, caches).
        public var warmupSteps = 3
        /// Times the inference pass is repeated (each with a cold cache); the median counts.
        public var inferenceRepeats = 3

        /// The default workload; `quick` takes fewer steps and repeats.
        public init(quick: Bool = false) {
            if quick {
                steps = 6
                warmupSteps = 1
                inferenceRepeats = 1
            }
        }
    }

    /// Milliseconds per query of the batched inference passes at one precision.
    public struct Inference: Sendable {
        /// The precision of the text encoder's and the grounding model's products.
        public var precision: Precision
        /// Text encoding included (median and best pass).
        public var cold: (median: Double, best: Double)
        /// Text states cached (median and best pass).
        public var warm: (median: Double, best: Double)
        /// This process's CPU milliseconds per query (all threads; median pass) of the two
        /// passes (Linux; nil elsewhere): less disturbed than the wall time when other processes
        /// share the cores.
        public var cpu: (cold: Double, warm: Double)?

        /// The note of a row: the CPU time per query when known, and the threads.
        func note(cold: Bool, threads: Int) -> String {
            let time = cpu.map {
                String(format: "%.2f CPU ms per query, ", cold ? $0.cold : $0.warm)
            }
            return (time ?? "") + "threads \(threads)"
        }
    }

    /// What the benchmark measured.
    public struct Result: Sendable {
        /// `ComputeThreads.count` during the measurement.
        public var threads: Int
        /// Median and best milliseconds of one training step.
        public var stepMilliseconds: (median: Double, best: Double)
        /// Training samples per second over the timed steps (total samples / total time).
        public var trainingSamplesPerSecond: Double
        /// Test queries grounded per inference pass (and how many distinct query texts).
        public var queries: Int, distinctQueries: Int
        /// Milliseconds per query of the batched inference pass, text encoding included
        /// (median and best pass).
        public var coldMillisecondsPerQuery: (median: Double, best: Double)
        /// The same with the text states already cached (what `vtg eval` prints).
        public var warmMillisecondsPerQuery: (median: Double, best: Double)
        /// The float32 passes as one `Inference`.
        var float32: Inference {
            Inference(
                precision: .float32, cold: coldMillisecondsPerQuery, warm: warmMillisecondsPerQuery,
                cpu: float32CPU)
        }
        /// CPU milliseconds per query of the float32 passes (cold, warm), when known.
        public var float32CPU: (cold: Double, warm: Double)?
        /// The two passes with the text encoder and the grounding model at each reduced
        /// precision measured (bf16, int8; those the CPU has kernels for).
        public var reducedPrecision: [Inference] = []
        /// CPU cores other processes used during the training steps (Linux; nil elsewhere).
        public var otherProcessesCores: Double?
        /// CPU milliseconds this process spent per training sample (all threads; Linux, nil
        /// elsewhere): less disturbed than the wall time when other processes share the cores.
        public var trainingCPUMillisecondsPerSample: Double?

        /// The rows of `vtg bench`'s table.
        public var rows: [BenchmarkRow] {
            var load = otherProcessesCores.map {
                String(format: ", other processes %.2f cores", $0)
            }
            if let cpu = trainingCPUMillisecondsPerSample {
                load = (load ?? "") + String(format: ", %.2f CPU ms per sample", cpu)
            }
            return [
                BenchmarkRow(
                    group: "grounding", name: "training step, batch 16, 1024-d",
                    medianMilliseconds: stepMilliseconds.median,
                    bestMilliseconds: stepMilliseconds.best, rate: trainingSamplesPerSecond,
                    unit: "samples/s", note: "threads \(threads)" + (load ?? "")),
                BenchmarkRow(
                    group: "grounding", name: "inference, text encoding included",
                    medianMilliseconds: coldMillisecondsPerQuery.median,
                    bestMilliseconds: coldMillisecondsPerQuery.best,
                    rate: coldMillisecondsPerQuery.median, unit: "ms/query",
                    note: "\(queries) queries (\(distinctQueries) distinct), "
                        + float32.note(cold: true, threads: threads)),
                BenchmarkRow(
                    group: "grounding", name: "inference, text states cached",
                    medianMilliseconds: warmMillisecondsPerQuery.median,
                    bestMilliseconds: warmMillisecondsPerQuery.best,
                    rate: warmMillisecondsPerQuery.median, unit: "ms/query",
                    note: "as `vtg eval` prints, " + float32.note(cold: false, threads: threads)),
            ]
                + reducedPrecision.flatMap { inference in
                    [
                        BenchmarkRow(
                            group: "grounding",
                            name: "inference at \(inference.precision), text encoding included",
                            medianMilliseconds: inference.cold.median,
                            bestMilliseconds: inference.cold.best, rate: inference.cold.median,
                            unit: "ms/query",
                            note: "text encoder and model at \(inference.precision), "
                                + inference.note(cold: true, threads: threads)),
                        BenchmarkRow(
                            group: "grounding",
                            name: "inference at \(inference.precision), text states cached",
                            medianMilliseconds: inference.warm.median,
                            bestMilliseconds: inference.warm.best, rate: inference.warm.median,
                            unit: "ms/query", note: inference.note(cold: false, threads: threads)),
                    ]
                }
        }
    }

    /// Writes the benchmark into a temporary folder, measures, and removes the folder.
    /// `encoderAt` gives the text encoder at a reduced precision (nil: no reduced-precision
    /// rows); a precision the CPU lacks a kernel for is left out.
    public static func run(
        encoder: any QueryEncoder, workload: Workload = Workload(),
        encoderAt: ((Precision) throws -> any QueryEncoder)? = nil,
        progress: (String) -> Void = { _ in }
    ) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vtg-grounding-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        progress("grounding benchmark data")
        let trainer = try makeTrainer(in: directory, workload: workload, encoder: encoder)
        progress("grounding training steps")
        let training = try measureTraining(trainer, workload: workload)
        progress("grounding inference")
        let testSamples = trainer.evaluationSet.samples
        func inference(_ encoder: any QueryEncoder) throws -> Inference {
            var cold: [(wall: Double, cpu: Double?)] = []
            var warm: [(wall: Double, cpu: Double?)] = []
            for _ in 0..<workload.inferenceRepeats {
                let cache = QueryStateCache(encoder: encoder)
                let batches = GroundingBatchBuilder(
                    featureStore: trainer.data.evaluationFeatureStore, cache: cache)
                cold.append(try millisecondsPerQuery(trainer.network, testSamples, batches))
                warm.append(try millisecondsPerQuery(trainer.network, testSamples, batches))
            }
            let coldCPU = cold.compactMap(\.cpu)
            let warmCPU = warm.compactMap(\.cpu)
            return Inference(
                precision: trainer.network.modelPrecision, cold: medianAndBest(cold.map(\.wall)),
                warm: medianAndBest(warm.map(\.wall)),
                cpu: coldCPU.count == cold.count && warmCPU.count == warm.count
                    ? (medianAndBest(coldCPU).median, medianAndBest(warmCPU).median) : nil)
        }
        let float32 = try inference(encoder)
        var reduced: [Inference] = []
        for precision in [Precision.bf16, .int8] {
            guard let encoderAt, CPUFeatures.current.supportedPrecision(precision) == precision
            else { continue }
            progress("grounding inference at \(precision)")
            trainer.network.convertModel(to: precision)
            defer { trainer.network.convertModel(to: .float32) }
            reduced.append(try inference(try encoderAt(precision)))
        }
        return Result(
            threads: ComputeThreads.count, stepMilliseconds: training.step,
            trainingSamplesPerSecond: training.samplesPerSecond, queries: testSamples.count,
            distinctQueries: Set(testSamples.map(\.query)).count,
            coldMillisecondsPerQuery: float32.cold, warmMillisecondsPerQuery: float32.warm,
            float32CPU: float32.cpu, reducedPrecision: reduced,
            otherProcessesCores: training.otherCores,
            trainingCPUMillisecondsPerSample: training.cpuMilliseconds)
    }

    /// The synthetic data in `directory` and a trainer of the default Charades-STA model on it
    /// (the whole training split, test split for evaluation).
    static func makeTrainer(in directory: URL, workload: Workload, encoder: any QueryEncoder)
        throws -> GroundingTrainer
    {
        let data = directory.appendingPathComponent("data")
        let manifest = try SyntheticBenchmark.write(
            SyntheticBenchmarkConfiguration(
                layout: .charadesSTA, videoCount: workload.videos,
                featureDimension: workload.featureDimension),
            to: data)
        var request = GroundingRunRequest()
        request.dataset = .charadesSTA
        request.annotationsPath = data.path
        request.featuresPath = manifest.featureLocation(in: data).path
        request.featureKind = "synthetic"
        request.evaluationSplit = "test"
        request.batchSize = workload.batchSize
        request.epochs = 1
        request.selection = .bestOnTest
        var run = try request.makeConfiguration()
        run.model.textStateSize = encoder.stateSize
        return try GroundingTrainer(
            run: run,
            directory: directory.appendingPathComponent("run"), encoder: encoder,
            reporter: SilentReporter())
    }

    /// Training steps as `TrainingLoop` takes them, after preparing the text states.
    static func measureTraining(_ trainer: GroundingTrainer, workload: Workload) throws
        -> (
            step: (median: Double, best: Double), samplesPerSecond: Double, otherCores: Double?,
            cpuMilliseconds: Double?
        )
    {
        let data = trainer.data
        try data.cache.prepare(data.allQueries)
        let optimizer = makeOptimizer(
            trainer.parameters, training: trainer.run.training,
            sampleCount: data.trainSet.samples.count)
        var generator = SeededGenerator(seed: 1)
        let sampler = BatchSampler(batchSize: workload.batchSize, shuffle: true)
        var batches: [[Int]] = []
        while batches.count < workload.warmupSteps + workload.steps {
            batches += sampler.batches(
                lengths: Array(repeating: 1, count: data.trainSet.samples.count),
                using: &generator
            ).filter { $0.count == workload.batchSize }
        }
        var times: [Double] = []
        var samples = 0
        var before: CPUAccounting.Sample?
        for (index, indices) in batches.prefix(workload.warmupSteps + workload.steps).enumerated() {
            if index == workload.warmupSteps { before = CPUAccounting.sample() }
            let start = DispatchTime.now().uptimeNanoseconds
            let step = try trainer.step(
                indices.map { data.trainSet.samples[$0] }, generator: &generator)
            optimizationStep(
                step.objective, parameters: trainer.parameters, optimizer: optimizer,
                maximumGradientNorm: trainer.run.training.gradientClipNorm)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if index >= workload.warmupSteps {
                times.append(seconds)
                samples += indices.count
            }
        }
        let other = before.flatMap { CPUAccounting.otherProcessesCores(since: $0) }
        var cpu: Double?
        if let before, let after = CPUAccounting.sample() {
            cpu = (after.processSeconds - before.processSeconds) * 1e3 / Double(max(samples, 1))
        }
        let (median, best) = medianAndBest(times.map { $0 * 1e3 })
        return ((median, best), Double(samples) / times.reduce(0, +), other, cpu)
    }

    /// Wall and CPU milliseconds (this process, all threads; nil without `/proc`) per sample of
    /// one batched inference pass (text states encoded first when the cache lacks them, as
    /// `predict` does).
    static func millisecondsPerQuery(
        _ network: GroundingNetwork, _ samples: [GroundingSample], _ batches: GroundingBatchBuilder
    ) throws -> (wall: Double, cpu: Double?) {
        let before = CPUAccounting.sample()
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try network.predict(samples, batches: batches)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let count = Double(max(samples.count, 1))
        var cpu: Double?
        if let before, let after = CPUAccounting.sample() {
            cpu = (after.processSeconds - before.processSeconds) * 1e3 / count
        }
        return (seconds * 1e3 / count, cpu)
    }

    static func medianAndBest(_ values: [Double]) -> (median: Double, best: Double) {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        let middle = sorted.count / 2
        let median =
            sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return (median, sorted[0])
    }
}

/// A `ProgressReporting` that reports nothing (the benchmark's trainer).
final class SilentReporter: ProgressReporting {
    func begin(_ label: String, total: Int) {}
    func update(done: Int, status: String, itemsDone: Int?) {}
    func report(_ event: RunEvent) {}
}
