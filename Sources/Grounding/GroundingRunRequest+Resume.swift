import Foundation
import Metrics
import Tensors

extension GroundingRunRequest {
    /// A training setting that a resumed run would change.
    public struct SettingChange: Equatable, Sendable {
        /// The setting.
        public var input: GroundingInput
        /// Its value in the saved run.
        public var saved: String
        /// The value asked for.
        public var requested: String

        /// `input` would change from `saved` to `requested`.
        public init(input: GroundingInput, saved: String, requested: String) {
            self.input = input
            self.saved = saved
            self.requested = requested
        }
    }

    /// `saved` (a run's `run.json`) with the training settings this request changes, each of
    /// which must be in `allowedChanges`: resuming with another `epochs`, `seed` or
    /// `learningRate` silently would make a run that no single configuration describes.
    /// Settings equal to the saved ones, and absent ones, are fine.
    func resumedConfiguration(_ saved: GroundingRunConfiguration) throws(GroundingError)
        -> GroundingRunConfiguration
    {
        var run = saved
        var changes: [SettingChange] = []
        func compare<Value: Equatable>(
            _ requested: Value?, _ path: WritableKeyPath<GroundingTrainingConfiguration, Value>,
            _ input: GroundingInput
        ) {
            guard let requested, requested != run.training[keyPath: path] else { return }
            changes.append(
                SettingChange(
                    input: input, saved: "\(run.training[keyPath: path])",
                    requested: "\(requested)"))
            run.training[keyPath: path] = requested
        }
        compare(epochs, \.epochs, .epochs)
        compare(batchSize, \.batchSize, .batchSize)
        compare(learningRate, \.learningRate, .learningRate)
        compare(warmupFraction, \.warmupFraction, .warmupFraction)
        compare(weightDecay, \.weightDecay, .weightDecay)
        compare(seed, \.seed, .seed)
        compare(bestMetric, \.bestMetric, .bestMetric)
        compare(insideLossWeight, \.insideLossWeight, .insideLossWeight)
        compare(mismatchedQueryWeight, \.mismatchedQueryWeight, .mismatchedQueryWeight)
        // Optional rates: an unset saved rate reads "unset".
        func compareRate(
            _ requested: Float?, _ path: WritableKeyPath<GroundingTrainingConfiguration, Float?>,
            _ input: GroundingInput
        ) {
            guard let requested, requested != run.training[keyPath: path] else { return }
            changes.append(
                SettingChange(
                    input: input, saved: run.training[keyPath: path].map { "\($0)" } ?? "unset",
                    requested: "\(requested)"))
            run.training[keyPath: path] = requested
        }
        compareRate(promptLearningRate, \.promptLearningRate, .promptLearningRate)
        compareRate(adapterLearningRate, \.adapterLearningRate, .adapterLearningRate)
        if let textPrecision, textPrecision != run.resolvedTextPrecision {
            // Not allowed at all: the cached states and the model trained on them would mix.
            changes.append(
                SettingChange(
                    input: .precision, saved: "\(run.resolvedTextPrecision)",
                    requested: "\(textPrecision)"))
        }
        // The network's shape: never changed on resume (the saved state would not fit).
        var shapeChanges: [SettingChange] = []
        func compareShape<Value: Equatable>(
            _ requested: Value?, _ saved: Value?, _ input: GroundingInput
        ) {
            guard let requested, requested != saved else { return }
            shapeChanges.append(
                SettingChange(
                    input: input, saved: saved.map { "\($0)" } ?? "unset",
                    requested: "\(requested)"))
        }
        compareShape(headWidth, run.model.headWidth ?? run.model.hiddenSize, .headWidth)
        compareShape(promptNormalization, run.prompts?.normalization, .promptNormalization)
        compareShape(promptEncoderWidth, run.prompts?.encoderWidth, .promptEncoderWidth)
        let refused =
            changes.filter { $0.input == .precision || !allowedChanges.contains($0.input) }
            + shapeChanges
        if !refused.isEmpty { throw .changedOnResume(refused) }
        return run
    }

    /// `path` made absolute against the current directory, `.` and `..` removed.
    static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
