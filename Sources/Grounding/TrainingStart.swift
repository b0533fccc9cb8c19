import Datasets
import Foundation
import NeuralNet
import Tensors

/// What every training stage reads: the run's training and evaluation splits, its feature
/// store and a cache of frozen query states.
struct TrainingData {
    let trainSet: GroundingDataset
    let evaluationSet: GroundingDataset
    let featureStore: FeatureStore
    let cache: QueryStateCache

    init(run: GroundingRunConfiguration, encoder: any QueryEncoder) throws {
        let annotations = URL(fileURLWithPath: run.annotationsPath)
        trainSet = try GroundingDataset.load(run.dataset, split: run.trainSplit, from: annotations)
        evaluationSet = try GroundingDataset.load(
            run.dataset, split: run.evaluationSplit, from: annotations)
        featureStore = try FeatureStore(FeatureStoreConfiguration(
            source: run.features.source, expectedFeatureDimension: run.model.featureDimension,
            maxClips: run.model.maxClips, cacheCapacityBytes: 1 << 30))
        cache = QueryStateCache(encoder: encoder)
    }
}

/// AdamW over the trainable parameters with warm-up and linear decay across all the run's steps
/// (prompt vectors at `promptLearningRate` when set).
func makeOptimizer(
    _ parameters: ParameterStore, training: GroundingTrainingConfiguration, sampleCount: Int
) -> AdamW {
    let stepsPerEpoch = (sampleCount + training.batchSize - 1) / training.batchSize
    let totalSteps = stepsPerEpoch * training.epochs
    return AdamW(
        groups: ParameterGroup.standard(
            parameters, learningRate: training.learningRate, weightDecay: training.weightDecay,
            promptLearningRate: training.promptLearningRate),
        schedule: .linearDecay(
            warmupSteps: Int(Float(totalSteps) * training.warmupFraction), totalSteps: totalSteps))
}

/// Where a training run starts: fresh (generator from the seed, the old log removed), or, with
/// `resume` and a `last.safetensors` in the directory, after the saved epoch with the saved
/// weights, optimiser state and generator, and the log records of the epochs before it.
func startOrResume<Record: Decodable>(
    _ record: Record.Type, epoch: (Record) -> Int, directory: RunDirectory,
    parameters: ParameterStore, optimizer: AdamW, policy: LoadPolicy,
    training: GroundingTrainingConfiguration, resume: Bool, reporter: any ProgressReporting
) throws -> (generator: SeededGenerator, firstEpoch: Int, records: [Record]) {
    guard resume, FileManager.default.fileExists(atPath: directory.lastCheckpoint.path) else {
        try? FileManager.default.removeItem(at: directory.log)
        return (SeededGenerator(seed: training.seed &+ 0x5EED), 0, [])
    }
    let contents = try Checkpoint.restore(
        from: directory.lastCheckpoint, into: parameters, optimizer: optimizer, policy: policy)
    guard let progress = contents.progress else {
        throw GroundingError.corruptRun(
            path: directory.lastCheckpoint.path, reason: "no training position saved")
    }
    reporter.report(.note("resuming after epoch \(progress.epoch) of \(training.epochs)"))
    return (
        SeededGenerator(state: progress.generatorState), progress.epoch,
        readJSONLines(Record.self, from: directory.log).filter { epoch($0) < progress.epoch }
    )
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
