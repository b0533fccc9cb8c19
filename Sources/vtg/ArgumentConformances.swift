import ArgumentParser
import Datasets
import Grounding
import Metrics
import VTGCore

// The library's choices, parsed from their command-line spellings (the raw values, or the short
// names of `MetricKey` and `PromptInitialization`).
extension DatasetName: ExpressibleByArgument {}
extension EvaluationProtocol: ExpressibleByArgument {}
extension TrainingStage: ExpressibleByArgument {}
extension TuningMode: ExpressibleByArgument {}
extension PromptEnsembleMode: ExpressibleByArgument {}
extension PromptNormalization: ExpressibleByArgument {}
extension VideoTextMatchingStyle: ExpressibleByArgument {}
extension TextEncoderKind: ExpressibleByArgument {}
extension PromptInitialization: ExpressibleByArgument {}
extension ModelSelection: ExpressibleByArgument {}

extension MetricKey: ExpressibleByArgument {
    /// Parses a short name such as `R1@0.5`.
    public init?(argument: String) { self.init(argument) }
}
