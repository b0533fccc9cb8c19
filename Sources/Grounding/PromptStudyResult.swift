import Foundation
import Metrics
import VTGCore

/// One row of the study: a variant's figures over the seeds.
public struct PromptStudyRow: Codable, Sendable, Equatable {
    /// The variant (stored as its key, e.g. `prompt-violet`).
    public var variant: PromptStudyVariant
    /// R@1 at IoU 0.3, percent, per seed, in seed order.
    public var r1At03: [Double]
    /// R@1 at IoU 0.5, percent, per seed.
    public var r1At05: [Double]
    /// R@1 at IoU 0.7, percent, per seed.
    public var r1At07: [Double]
    /// mIoU, percent, per seed.
    public var meanIoU: [Double]
    /// Trained scalars of the variant.
    public var trainableParameters: Int
    /// Trainable share of the grounding model's parameters, in percent.
    public var trainablePercent: Double
    /// Size of the variant's best checkpoint.
    public var checkpointBytes: Int
    /// Mean seconds of the grounding stage's training (evaluation excluded).
    public var trainingSeconds: Double
    /// Mean seconds of the VTM pretraining the variant starts from (0: none; shared by the
    /// variants on the same backbone).
    public var pretrainingSeconds: Double

    /// A row with its figures.
    public init(
        variant: PromptStudyVariant, r1At03: [Double], r1At05: [Double], r1At07: [Double],
        meanIoU: [Double], trainableParameters: Int, trainablePercent: Double,
        checkpointBytes: Int, trainingSeconds: Double, pretrainingSeconds: Double
    ) {
        self.variant = variant
        self.r1At03 = r1At03
        self.r1At05 = r1At05
        self.r1At07 = r1At07
        self.meanIoU = meanIoU
        self.trainableParameters = trainableParameters
        self.trainablePercent = trainablePercent
        self.checkpointBytes = checkpointBytes
        self.trainingSeconds = trainingSeconds
        self.pretrainingSeconds = pretrainingSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case variant = "key"
        case r1At03, r1At05, r1At07, meanIoU, trainableParameters, trainablePercent
        case checkpointBytes, trainingSeconds, pretrainingSeconds
    }

    /// Adds one seed's run: its metrics, and its times into the running means.
    mutating func append(
        _ report: MetricsReport, trainingSeconds: Double, pretrainingSeconds: Double
    ) {
        let count = Double(r1At05.count)
        r1At03.append(report.value(.recallAtOne(iouThreshold: 0.3)) ?? 0)
        r1At05.append(report.value(.recallAtOne(iouThreshold: 0.5)) ?? 0)
        r1At07.append(report.value(.recallAtOne(iouThreshold: 0.7)) ?? 0)
        meanIoU.append(report.value(.meanIoU) ?? 0)
        self.trainingSeconds = (self.trainingSeconds * count + trainingSeconds) / (count + 1)
        self.pretrainingSeconds =
            (self.pretrainingSeconds * count + pretrainingSeconds) / (count + 1)
    }

    /// The mean and the sample standard deviation of `values`.
    public static func spread(_ values: [Double]) -> (mean: Double, deviation: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance =
            values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }
}

/// What the study produced: typed rows; the reporting module writes the table and the
/// conclusions.
public struct PromptStudyResult: Codable, Sendable {
    /// The settings the study ran with.
    public var configuration: PromptStudyConfiguration
    /// The protocol every row was scored under.
    public var evaluationProtocol: EvaluationProtocol
    /// The split every row was scored on.
    public var evaluationSplit: String
    /// Queries in that split.
    public var queries: Int
    /// One row per variant, in the order run.
    public var rows: [PromptStudyRow]
    /// Wall time of the whole study.
    public var totalSeconds: Double
    /// Every backbone pretraining's chance check, by seed, in the order run.
    public var pretrainingChecks: [PretrainingChanceCheck]

    /// A result of its parts.
    public init(
        configuration: PromptStudyConfiguration, evaluationProtocol: EvaluationProtocol,
        evaluationSplit: String, queries: Int, rows: [PromptStudyRow], totalSeconds: Double,
        pretrainingChecks: [PretrainingChanceCheck] = []
    ) {
        self.pretrainingChecks = pretrainingChecks
        self.configuration = configuration
        self.evaluationProtocol = evaluationProtocol
        self.evaluationSplit = evaluationSplit
        self.queries = queries
        self.rows = rows
        self.totalSeconds = totalSeconds
    }
}
