import Tensors

/// Parameters that share a learning rate and a weight decay (PyTorch's param groups).
public struct ParameterGroup {
    /// A name for reports ("decay", "no decay", "prompts").
    public var name: String
    /// The parameters, as the store lists them.
    public var entries: [ParameterStore.Entry]
    /// The base learning rate (the schedule multiplies it).
    public var learningRate: Float
    /// The weight decay coefficient.
    public var weightDecay: Float

    /// Creates a group.
    public init(
        name: String, entries: [ParameterStore.Entry], learningRate: Float, weightDecay: Float
    ) {
        self.name = name
        self.entries = entries
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// The usual split of the store's trainable parameters: weights and embeddings decay;
    /// biases and normalisation parameters do not (as in BERT fine-tuning); prompts do not
    /// decay and may have their own learning rate; adapters (LoRA updates) decay as weights
    /// and may have their own learning rate. Empty groups are left out.
    public static func standard(
        _ store: ParameterStore, learningRate: Float, weightDecay: Float,
        promptLearningRate: Float? = nil, adapterLearningRate: Float? = nil
    ) -> [ParameterGroup] {
        let trainable = store.trainableEntries
        let groups = [
            ParameterGroup(
                name: "decay",
                entries: trainable.filter { $0.role == .weight || $0.role == .embedding },
                learningRate: learningRate, weightDecay: weightDecay),
            ParameterGroup(
                name: "no decay",
                entries: trainable.filter { $0.role == .bias || $0.role == .normalization },
                learningRate: learningRate, weightDecay: 0),
            ParameterGroup(
                name: "prompts", entries: trainable.filter { $0.role == .prompt },
                learningRate: promptLearningRate ?? learningRate, weightDecay: 0),
            ParameterGroup(
                name: "adapters", entries: trainable.filter { $0.role == .adapter },
                learningRate: adapterLearningRate ?? learningRate, weightDecay: weightDecay),
        ]
        return groups.filter { !$0.entries.isEmpty }
    }
}

/// What every optimiser offers the training loop and checkpoints.
///
/// `step()` updates each parameter of its groups that has a gradient and is trainable (frozen
/// parameters and parameters without a gradient are skipped), then advances `stepCount`. All
/// parameters share the step count; build a new optimiser when the set of trained parameters
/// changes.
public protocol Optimizer: AnyObject {
    /// A short name saved in checkpoints ("AdamW", "SGD"), checked on restore.
    var kind: String { get }
    /// The parameter groups.
    var groups: [ParameterGroup] { get }
    /// The number of steps taken.
    var stepCount: Int { get }
    /// The learning-rate schedule applied to every group's base rate.
    var schedule: LearningRateSchedule { get }
    /// Applies one update from the parameters' current gradients.
    func step()
    /// The per-parameter state, keyed `"<state name>/<parameter path>"` (e.g.
    /// `exp_avg/encoder.layer.0.output.dense.weight`).
    func stateTensors() -> [String: Tensor]
    /// Replaces the state: `tensors` must hold exactly the keys and shapes of `stateTensors()`
    /// (checked by the caller first, see `Checkpoint`).
    func restoreState(stepCount: Int, tensors: [String: Tensor])
}

extension Optimizer {
    /// Clears the gradients of every parameter in the groups.
    public func zeroGradients() {
        for group in groups { for entry in group.entries { entry.tensor.zeroGradient() } }
    }

    /// The learning rate the next `step()` applies to `group` (base rate × schedule).
    public func learningRate(group: Int) -> Float {
        groups[group].learningRate * schedule.multiplier(step: stepCount + 1)
    }

    /// The parameters to update now: trainable, with a gradient.
    func updatableEntries(of group: ParameterGroup) -> [(ParameterStore.Entry, Tensor)] {
        group.entries.compactMap { entry in
            guard entry.isTrainable, let gradient = entry.tensor.grad else { return nil }
            return (entry, gradient)
        }
    }
}

/// Fails when a parameter appears in two groups (it would be updated twice).
func checkDistinct(_ groups: [ParameterGroup], optimizer: String) {
    var seen: Set<String> = []
    for group in groups {
        for entry in group.entries {
            precondition(
                seen.insert(entry.path).inserted,
                "\(optimizer): parameter \(entry.path) is in more than one group")
        }
    }
}
