import Datasets
import Foundation
import NeuralNet
import Tensors
import VTGCore

/// The epoch loop every training stage shares, over a `TrainingObjective`: encode the text
/// states, build the optimiser, start fresh or resume, then per epoch draw the batches, step,
/// evaluate, keep what the objective keeps and the last state, append the log and report.
///
/// Resuming is bit-identical to an uninterrupted run: `last.safetensors` holds the weights,
/// the optimiser state and the generator after the epoch, and every random draw of an epoch
/// (batch order, pairs, dropout, DropKey, prompt draws) comes from that one generator.
struct TrainingLoop<Objective: TrainingObjective> {
    /// The run's sampling generator (batch order, pairs, dropout, DropKey) starts from the
    /// run's seed plus this offset, so that it does not replay the stream that initialised the
    /// parameters from the seed itself.
    static var samplingSeedOffset: UInt64 { 0x5EED }

    /// The stage trained.
    let objective: Objective
    /// Where the run's files go.
    let directory: RunDirectory
    /// Where progress and events go.
    let reporter: any ProgressReporting

    /// Trains the configured epochs, or resumes after the epoch saved in `last.safetensors`
    /// when `resume` is set and the file exists. With `epochLimit`, stops after that many
    /// epochs in this call (a time-boxed session; resume later). Returns every epoch's record
    /// (those before a resume included) and the seconds spent encoding text states.
    func run(resume: Bool, epochLimit: Int?) throws
        -> (records: [Objective.Record], textEncodingSeconds: Double)
    {
        let run = objective.run
        let training = run.training
        let data = objective.data
        let parameters = objective.parameters
        try createDirectory(directory.url)
        // A checkpoint write killed before its rename leaves a temporary file; nothing else
        // writes into a run directory, so any left there now is stale.
        AtomicFileWriter.removeInterruptedWrites(in: directory.url)
        for event in objective.openingEvents { reporter.report(event) }
        let textSeconds = try prepareTextStates(data)

        let sampler = BatchSampler(batchSize: training.batchSize, shuffle: true)
        let optimizer = makeOptimizer(
            parameters, training: training, sampleCount: data.trainSet.samples.count)
        let log = TrainingLog<Objective.Record>(directory.log)
        var (generator, firstEpoch, records) = try start(
            resume: resume, optimizer: optimizer, log: log)
        try writeFile(Data(run.jsonText().utf8), to: directory.configurationFile)
        TensorMemory.resetPeak()

        let save = { (url: URL, including: (ParameterStore.Entry) -> Bool) throws in
            try Checkpoint.save(
                to: url, parameters: parameters, including: including,
                configuration: run.jsonText())
        }
        let lastEpoch = min(training.epochs, firstEpoch + (epochLimit ?? training.epochs))
        for epoch in firstEpoch..<lastEpoch {
            if objective.shouldStop(after: records) { break }
            // Lengths matter only for bucketing, which this sampler does not do.
            let batches = sampler.batches(
                lengths: Array(repeating: 1, count: data.trainSet.samples.count),
                using: &generator)
            let epochStart = Date()
            reporter.begin(
                "\(objective.epochLabel) \(epoch + 1)/\(training.epochs)", total: batches.count)
            var tally = Objective.Tally()
            for (index, indices) in batches.enumerated() {
                let samples = indices.map { data.trainSet.samples[$0] }
                let step = try objective.step(samples, generator: &generator)
                // A NaN or infinite loss would step every weight to NaN; stop before it does,
                // so that neither the best nor the last checkpoint ever holds a diverged state.
                let loss = step.objective.item
                guard loss.isFinite else {
                    throw GroundingError.trainingDiverged(
                        epoch: epoch, batch: index, reason: "the loss is \(loss)")
                }
                optimizationStep(
                    step.objective, parameters: parameters, optimizer: optimizer,
                    maximumGradientNorm: training.gradientClipNorm)
                tally.add(step.outcome)
                reporter.update(done: index + 1, status: tally.status, itemsDone: tally.itemsDone)
            }
            if let diverged = parameters.trainableEntries.first(where: {
                !$0.tensor.scalars.allSatisfy(\.isFinite)
            }) {
                throw GroundingError.trainingDiverged(
                    epoch: epoch, batch: nil,
                    reason: "parameter \(diverged.path) holds NaN or infinity after the epoch")
            }
            let trainingSeconds = Date().timeIntervalSince(epochStart)
            let evaluationStart = Date()
            let evaluation = try objective.evaluate()
            let record = objective.record(
                epoch: epoch, tally: tally, evaluation: evaluation,
                timing: EpochTiming(
                    trainingSeconds: trainingSeconds,
                    evaluationSeconds: Date().timeIntervalSince(evaluationStart)),
                learningRate: Double(optimizer.learningRate(group: 0)), previous: records)
            records.append(record)
            try objective.keep(record, save: save)
            // Logged before the state is saved: an interruption in between leaves a record
            // that resuming cuts (`TrainingLog.records(before:)`), never a missing one.
            try log.append(record)
            try Checkpoint.save(
                to: directory.lastCheckpoint, parameters: parameters,
                including: objective.checkpointFilter, optimizer: optimizer,
                progress: TrainingProgress(
                    epoch: epoch + 1, batch: 0, generatorState: generator.state),
                configuration: run.jsonText())
            reporter.report(objective.finishedEvent(record))
        }
        return (records, textSeconds)
    }

    /// Encodes the text states of both splits' queries (the encoder is frozen: once per
    /// query); returns the seconds it took.
    private func prepareTextStates(_ data: TrainingData) throws -> Double {
        let start = Date()
        let queries = data.allQueries
        reporter.begin("text states", total: Set(queries).count)
        try data.cache.prepare(queries) { done, _ in reporter.update(done: done) }
        return Date().timeIntervalSince(start)
    }

    /// Where training starts: fresh (generator from the seed, the old log removed), or, with
    /// `resume` and a `last.safetensors` in the directory, after the saved epoch with the saved
    /// weights, optimiser state and generator, and the log's records of the epochs before it.
    private func start(resume: Bool, optimizer: AdamW, log: TrainingLog<Objective.Record>) throws
        -> (generator: SeededGenerator, firstEpoch: Int, records: [Objective.Record])
    {
        let training = objective.run.training
        guard resume, FileManager.default.fileExists(atPath: directory.lastCheckpoint.path) else {
            try log.remove()
            return (SeededGenerator(seed: training.seed &+ Self.samplingSeedOffset), 0, [])
        }
        let contents = try Checkpoint.restore(
            from: directory.lastCheckpoint, into: objective.parameters, optimizer: optimizer,
            policy: objective.checkpointLoadPolicy)
        guard let progress = contents.progress else {
            throw GroundingError.corruptRun(
                path: directory.lastCheckpoint.path, reason: "no training position saved")
        }
        reporter.report(.resumed(afterEpoch: progress.epoch, totalEpochs: training.epochs))
        return (
            SeededGenerator(state: progress.generatorState), progress.epoch,
            try log.records(before: progress.epoch)
        )
    }
}

/// AdamW over the trainable parameters with warm-up and linear decay across all the run's steps
/// (prompt vectors at `promptLearningRate`, LoRA updates at `adapterLearningRate` when set).
func makeOptimizer(
    _ parameters: ParameterStore, training: GroundingTrainingConfiguration, sampleCount: Int
) -> AdamW {
    let stepsPerEpoch = (sampleCount + training.batchSize - 1) / training.batchSize
    let totalSteps = stepsPerEpoch * training.epochs
    return AdamW(
        groups: ParameterGroup.standard(
            parameters, learningRate: training.learningRate, weightDecay: training.weightDecay,
            promptLearningRate: training.promptLearningRate,
            adapterLearningRate: training.adapterLearningRate),
        schedule: .linearDecay(
            warmupSteps: Int(Float(totalSteps) * training.warmupFraction), totalSteps: totalSteps))
}

/// One optimiser step: backpropagates `objective`, clips the trainable parameters' gradients
/// to `maximumGradientNorm` (global norm), steps and clears the gradients.
func optimizationStep(
    _ objective: Tensor, parameters: ParameterStore, optimizer: AdamW, maximumGradientNorm: Float
) {
    objective.backward()
    _ = clipGradientNorm(
        of: parameters.trainableEntries.map(\.tensor), maximumNorm: maximumGradientNorm)
    optimizer.step()
    optimizer.zeroGradients()
}
