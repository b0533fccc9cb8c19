import Tensors
import VTGCore

/// LoRA settings (Hu et al. 2021, as peft's `LoraConfig`): which `Linear` layers get a
/// trainable low-rank update beside their frozen weight, of what rank, scale and dropout.
public struct LowRankAdaptationConfiguration: Codable, Sendable, Equatable {
    /// The rank r of every update.
    public var rank: Int
    /// The update is scaled by alpha / r.
    public var alpha: Float
    /// Dropout on the update's input, in training.
    public var dropout: Float
    /// Which layers are adapted: a `Linear` whose path ends in one of these (after a dot, or
    /// equal), e.g. `attention.self.query` or `intermediate.dense`; see `standardTargets`.
    public var targets: [String]
    /// Path prefixes a target must be under (e.g. `fusion`, `video`); empty: anywhere.
    public var scopes: [String]

    /// The attention projections and both feed-forward projections of a BERT-named
    /// `TransformerEncoderLayer` (`output.dense` also matches the feed-forward output).
    public static let standardTargets = [
        "attention.self.query", "attention.self.key", "attention.self.value",
        "attention.output.dense", "intermediate.dense", "output.dense",
    ]
    /// The top-level scope under which every update's tensors live: the update of the layer at
    /// `P` is `lora.P.down` `[r, in]` and `lora.P.up` `[out, r]`, so that a model's own paths
    /// and a checkpoint of updates alone stay apart by prefix.
    public static let scopePrefix = "lora"

    /// A configuration; the defaults are peft's usual (r 8, alpha 16, dropout 0.05).
    public init(
        rank: Int = 8, alpha: Float = 16, dropout: Float = 0.05,
        targets: [String] = Self.standardTargets, scopes: [String] = []
    ) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targets = targets
        self.scopes = scopes
    }

    /// alpha / r.
    public var scale: Float { alpha / Float(rank) }

    /// True when the `Linear` at `path` is adapted: a target equal to the whole path adapts it
    /// wherever it is; a path ending needs the path under one of the scopes.
    public func adapts(_ path: String) -> Bool {
        if targets.contains(path) { return true }
        let inScope =
            scopes.isEmpty || scopes.contains { path == $0 || path.hasPrefix($0 + ".") }
        return inScope && targets.contains { path == $0 || path.hasSuffix("." + $0) }
    }
}

/// The trainable low-rank update of one `Linear`: y += scale · dropout(x)·Aᵀ·Bᵀ, with
/// A (`down`, `[rank, input]`) uniform in ±1/√input (`nn.Linear`'s default, as peft) and
/// B (`up`, `[output, rank]`) zero, so that training starts from the frozen layer exactly.
public struct LowRankAdapter {
    /// A, `[rank, inputSize]`.
    public let down: Tensor
    /// B, `[outputSize, rank]`.
    public let up: Tensor
    /// alpha / rank.
    public let scale: Float
    /// The input dropout in training.
    public let dropout: Dropout

    /// Builds the update of a layer of `inputSize` → `outputSize` under `parameters`
    /// (`lora.<layer path>`); A's values come from a generator of `seed` and the path alone, so
    /// that adding updates leaves every other parameter's initial values unchanged.
    public init(
        _ configuration: LowRankAdaptationConfiguration, inputSize: Int, outputSize: Int,
        parameters: ParameterScope, seed: UInt64
    ) {
        precondition(configuration.rank >= 1, "LowRankAdapter: rank must be at least 1")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parameters.path.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        var generator = SeededGenerator(seed: seed ^ hash)
        let bound = 1 / Float(inputSize).squareRoot()
        let initial = Tensor.randomUniform(
            [configuration.rank, inputSize], in: -bound..<bound, using: &generator)
        down = parameters.parameter(
            "down", shape: [configuration.rank, inputSize], role: .adapter,
            initializer: .values(initial.scalars))
        up = parameters.parameter(
            "up", shape: [outputSize, configuration.rank], role: .adapter, initializer: .zeros)
        scale = configuration.scale
        dropout = Dropout(probability: configuration.dropout)
    }

    /// The update scale · dropout(x)·Aᵀ·Bᵀ: `[..., inputSize]` → `[..., outputSize]`.
    public func callAsFunction(_ input: Tensor, context: inout ForwardContext) -> Tensor {
        let dropped = dropout(input, context: &context)
        return linear(linear(dropped, weight: down, bias: nil), weight: up, bias: nil) * scale
    }

    /// `weight` + scale · B·A: the frozen weight with the update merged in (for inference).
    public func merged(into weight: Tensor) -> Tensor {
        Self.merge(weight, up: up, down: down, scale: scale)
    }

    /// `weight` + `scale` · `up`·`down`, off the tape.
    public static func merge(_ weight: Tensor, up: Tensor, down: Tensor, scale: Float) -> Tensor {
        let update = matmul(up.detached(), down.detached()) * scale
        return (weight.detached() + update).detached()
    }
}
