import Datasets
import Foundation
import NeuralNet
import Tensors
import VTGCore

/// What a training stage brings to the shared epoch loop (`TrainingLoop`): its data and
/// parameters, the loss of one batch, the per-epoch evaluation, the epoch's record, and which
/// weights it keeps besides the last state. Grounding (`GroundingTrainer`) and video-text
/// matching pretraining (`VideoTextMatchingTrainer`) implement it; the loop does the rest
/// (text states, batches, optimiser steps, checkpoints, the log, progress and resuming).
protocol TrainingObjective: AnyObject {
    /// One epoch's line in the run's log.
    associatedtype Record: TrainingRecord
    /// The epoch's running totals.
    associatedtype Tally: EpochTally
    /// What the per-epoch evaluation measures.
    associatedtype Evaluation

    /// The run being trained.
    var run: GroundingRunConfiguration { get }
    /// Its splits, feature store and query-state cache.
    var data: TrainingData { get }
    /// Every tensor of the network (the optimiser steps the trainable ones).
    var parameters: ParameterStore { get }
    /// How `last.safetensors` restores into `parameters` (which tensors it may lack).
    var checkpointLoadPolicy: LoadPolicy { get }
    /// Which tensors `last.safetensors` holds.
    var checkpointFilter: (ParameterStore.Entry) -> Bool { get }
    /// The progress label of an epoch ("epoch", "VTM epoch").
    var epochLabel: String { get }
    /// What the run reports before training: parameter counts and data.
    var openingEvents: [RunEvent] { get }

    /// The objective of one batch of training samples, on the tape, drawing its randomness
    /// (pairs, dropout, DropKey, prompt draws) from `generator`; and what the tally needs of it.
    func step(_ samples: [GroundingSample], generator: inout SeededGenerator) throws
        -> (objective: Tensor, outcome: Tally.Outcome)
    /// The evaluation after an epoch (evaluation mode, no tape).
    func evaluate() throws -> Evaluation
    /// The record of epoch `epoch` (from 0), given the records of the epochs before it.
    func record(
        epoch: Int, tally: Tally, evaluation: Evaluation, timing: EpochTiming,
        learningRate: Double, previous: [Record]
    ) -> Record
    /// Saves what the objective keeps after `record`'s epoch (the best weights, a backbone)
    /// through `save` (a checkpoint at a URL of the tensors a filter selects).
    func keep(
        _ record: Record, save: (URL, (ParameterStore.Entry) -> Bool) throws -> Void
    ) throws
    /// What the run reports when an epoch is done.
    func finishedEvent(_ record: Record) -> RunEvent
    /// True when training should stop before the next epoch, given the records so far
    /// (early stopping); checked before every epoch, so a resumed run stops where it would
    /// have.
    func shouldStop(after records: [Record]) -> Bool
}

extension TrainingObjective {
    /// Trains every configured epoch.
    func shouldStop(after records: [Record]) -> Bool { false }
}

/// A log record of one epoch.
protocol TrainingRecord: Codable, Sendable {
    /// The epoch, from 0.
    var epoch: Int { get }
}

/// The running totals of an epoch, from what each batch's step gives.
protocol EpochTally {
    /// What one step gives the tally.
    associatedtype Outcome
    /// Empty totals.
    init()
    /// Adds one step's outcome (after the optimiser step).
    mutating func add(_ outcome: Outcome)
    /// A short state for the progress line (the running loss).
    var status: String { get }
    /// Items so far (samples or pairs), for the rate.
    var itemsDone: Int { get }
}

/// Where an epoch's time went.
struct EpochTiming {
    /// Seconds of training steps.
    var trainingSeconds: Double
    /// Seconds of the evaluation after them.
    var evaluationSeconds: Double
}
