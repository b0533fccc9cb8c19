import NeuralNet
import Tensors

/// The low-rank adaptation settings of grounding runs, under the name front ends use (they need
/// not import NeuralNet for it).
public typealias GroundingLowRankAdaptation = LowRankAdaptationConfiguration

extension LowRankAdaptationConfiguration {
    /// LoRA of a grounding run: rank 4, alpha 8, dropout 0.05 on every attention and
    /// feed-forward projection of the video encoder's and the fusion transformer's layers
    /// (`standardTargets`) and on the three input projections (`groundingInputTargets`): 3.5 %
    /// of the model trained with the quarter-width span head a LoRA run gets by default
    /// (`GroundingModelConfiguration.standardHeadWidth(for:)`), updates at
    /// `GroundingTrainingConfiguration.standardAdapterLearningRate`. Measured
    /// (`Docs/peft-experiments.md`, third session): the best of every parameter-efficient
    /// setting on validation and test over three seeds of the noise-3 study, with the
    /// smallest seed spread; the previous default (the video input projection and the query
    /// interaction only, full-width head) was 5 points lower.
    public static let grounding = LowRankAdaptationConfiguration(
        rank: 4, alpha: 8, targets: standardTargets + groundingInputTargets,
        scopes: ["video.encoder", "fusion.encoder"])

    /// Targets a grounding run may name besides `standardTargets`: the input projections of
    /// the video features and of the query states (`video.projection`, `text.projection`) and
    /// the fusion's query interaction (`fusion.query_interaction`).
    public static let groundingInputTargets = [
        "video.projection", "text.projection", "fusion.query_interaction",
    ]

    /// Throws unless the rank is at least 1, alpha positive, the dropout a probability and
    /// the targets named.
    public func validate() throws(GroundingError) {
        if rank < 1 {
            throw .invalidValue(.loraRank, value: "\(rank)", expected: "at least 1")
        }
        if !(alpha > 0) {
            throw .invalidValue(.loraAlpha, value: "\(alpha)", expected: "a positive number")
        }
        if !(0..<1).contains(dropout) {
            throw .invalidValue(
                .loraDropout, value: "\(dropout)", expected: "a probability in [0, 1)")
        }
        let known = Self.standardTargets + Self.groundingInputTargets
        let unknown = targets.filter { !known.contains($0) }
        if targets.isEmpty || !unknown.isEmpty {
            throw .invalidValue(
                .loraTargets, value: targets.joined(separator: ","),
                expected: "one or more of " + known.joined(separator: ", "))
        }
    }
}

extension GroundingNetwork {
    /// True for the paths of LoRA updates (`lora.…`).
    public static func isLowRankUpdate(_ path: String) -> Bool {
        path.hasPrefix(LowRankAdaptationConfiguration.scopePrefix + ".")
    }

    /// The network's weights with every LoRA update merged into its frozen weight
    /// (W + alpha/r · B·A) and the updates left out: the weights of the same model without
    /// LoRA, which predicts the same (to rounding) at the cost of a plain model. The weights
    /// unchanged for a run without LoRA.
    public func mergedLowRankWeights() -> [String: Tensor] {
        var weights: [String: Tensor] = [:]
        for entry in parameters.entries where !Self.isLowRankUpdate(entry.path) {
            weights[entry.path] = entry.tensor.detached()
        }
        guard let adaptation = run.lowRankAdaptation else { return weights }
        let prefix = LowRankAdaptationConfiguration.scopePrefix + "."
        for entry in parameters.entries
        where entry.path.hasPrefix(prefix) && entry.path.hasSuffix(".down") {
            let layer = String(entry.path.dropFirst(prefix.count).dropLast(".down".count))
            guard let up = parameters[prefix + layer + ".up"],
                let weight = weights[layer + ".weight"]
            else { preconditionFailure("mergedLowRankWeights: \(layer) lacks its update") }
            weights[layer + ".weight"] = LowRankAdapter.merge(
                weight, up: up, down: entry.tensor, scale: adaptation.scale)
        }
        return weights
    }
}
