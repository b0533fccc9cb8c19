import Tensors
import VTGCore

/// What a parameter is, so that optimiser groups can treat kinds differently (no weight decay
/// for biases, normalisation weights and prompts, as BERT fine-tuning and prompt tuning do).
public enum ParameterRole: String, Sendable, Codable, CaseIterable {
    /// A projection matrix (Linear weight).
    case weight
    /// An additive bias.
    case bias
    /// A normalisation gain or shift (LayerNorm weight and bias).
    case normalization
    /// An embedding table (tokens, positions).
    case embedding
    /// A soft prompt: learned virtual-token vectors.
    case prompt
    /// A parameter-efficient update beside frozen weights (LoRA's A and B).
    case adapter
}

/// How a new parameter's values are drawn (from the store's seeded generator).
public enum ParameterInitializer: Sendable, Equatable {
    /// All zeros.
    case zeros
    /// All ones.
    case ones
    /// Uniform in [−bound, bound).
    case uniform(bound: Float)
    /// Normal with mean 0.
    case normal(standardDeviation: Float)
    /// Exactly these values (row-major; their count must match the shape).
    case values([Float])
}

/// All parameters of a model, addressed by PyTorch / Hugging Face paths
/// (`encoder.layer.0.attention.self.query.weight`).
///
/// Layers are built under path scopes (`parameters.scope("encoder").scope("layer.0")`) and ask
/// their scope for tensors by local name (`weight`). Each request either takes the tensor from
/// the weights the store was created with (a safetensors file, no renaming table), or, when
/// there are none, initialises it from the store's seeded generator. After building, call
/// `finishLoading(policy:)`: missing, unexpected and mismatched keys are then reported together.
///
/// The store also owns trainability: `freeze` / `unfreeze` by path prefix or predicate (a frozen
/// parameter has `requiresGrad == false` and no optimiser touches it), and the counts of
/// trainable and frozen scalars.
public final class ParameterStore {
    /// One parameter: its full path, its tensor (shared with the layer that uses it) and role.
    public struct Entry {
        /// The full PyTorch-style path.
        public let path: String
        /// The tensor; layers, optimisers and the tape all hold this same object.
        public let tensor: Tensor
        /// What kind of parameter it is.
        public let role: ParameterRole
        /// True when it receives gradients (not frozen).
        public var isTrainable: Bool { tensor.requiresGrad }
    }

    /// Every parameter, in creation order.
    public private(set) var entries: [Entry] = []
    private var indexByPath: [String: Int] = [:]
    /// Weights given at creation, not yet claimed by a layer.
    private var pendingWeights: [String: Tensor]
    private let hasPendingWeights: Bool
    /// Where the pending weights came from, for error messages.
    private let weightsSource: String
    private var missingPaths: [String] = []
    private var mismatches: [ParameterLoadError.Mismatch] = []
    private var generator: SeededGenerator
    /// When set before layers are built, every `Linear` whose path it adapts gets a trainable
    /// low-rank update (`LowRankAdapter`) under `lora.<path>`.
    public var lowRankAdaptation: LowRankAdaptationConfiguration?
    /// The seed of the updates' initial values (with each layer's path).
    public var lowRankAdaptationSeed: UInt64 = 0

    /// An empty store that initialises every requested parameter from `seed`.
    public init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        pendingWeights = [:]
        hasPendingWeights = false
        weightsSource = ""
    }

    /// A store whose layers take their parameters from `weights` (full paths → tensors), e.g.
    /// `try CheckpointFile(url).tensors()`. A parameter absent from `weights` (or of another
    /// shape) is initialised from `seed` and reported by `finishLoading(policy:)`.
    /// `source` names the weights in errors (a file path).
    public init(weights: [String: Tensor], source: String, seed: UInt64 = 0) {
        generator = SeededGenerator(seed: seed)
        pendingWeights = weights
        hasPendingWeights = true
        weightsSource = source
    }

    /// The root scope (empty path).
    public var root: ParameterScope { ParameterScope(store: self, path: "") }

    /// A scope at `path` (dot-separated, as in PyTorch state dicts).
    public func scope(_ path: String) -> ParameterScope { root.scope(path) }

    /// The tensor at a full path, or nil.
    public subscript(path: String) -> Tensor? {
        indexByPath[path].map { entries[$0].tensor }
    }

    /// The parameter at `path`, created on first request (see the type's documentation).
    /// Requesting a path twice returns the same tensor; the shapes must agree.
    func parameter(
        path: String, shape: [Int], role: ParameterRole, initializer: ParameterInitializer
    ) -> Tensor {
        if let index = indexByPath[path] {
            let existing = entries[index].tensor
            precondition(
                existing.shape == shape,
                "ParameterStore: \(path) requested with shape \(shape) but exists with \(existing.shape)"
            )
            return existing
        }
        let tensor: Tensor
        if hasPendingWeights, let loaded = pendingWeights.removeValue(forKey: path) {
            if loaded.shape == shape {
                tensor = loaded.detached()
            } else {
                mismatches.append(.init(path: path, expected: shape, actual: loaded.shape))
                tensor = initialized(shape: shape, initializer: initializer, path: path)
            }
        } else {
            if hasPendingWeights { missingPaths.append(path) }
            tensor = initialized(shape: shape, initializer: initializer, path: path)
        }
        tensor.requiresGrad = true
        indexByPath[path] = entries.count
        entries.append(Entry(path: path, tensor: tensor, role: role))
        return tensor
    }

    private func initialized(shape: [Int], initializer: ParameterInitializer, path: String)
        -> Tensor
    {
        switch initializer {
        case .zeros: return Tensor.zeros(shape)
        case .ones: return Tensor.ones(shape)
        case .uniform(let bound):
            return Tensor.randomUniform(shape, in: -bound..<bound, using: &generator)
        case .normal(let standardDeviation):
            return Tensor.randomNormal(
                shape, standardDeviation: standardDeviation, using: &generator)
        case .values(let values):
            precondition(
                values.count == shape.reduce(1, *),
                "ParameterStore: \(path) has shape \(shape) but \(values.count) initial values")
            return Tensor(shape: shape, scalars: values)
        }
    }

    /// Ends building from the weights given at creation: throws one `ParameterLoadError` that
    /// lists every missing, unexpected and mismatched key the policy does not allow. Weights
    /// nobody asked for are released either way.
    public func finishLoading(policy: LoadPolicy = .strict) throws(ParameterLoadError) {
        let unexpected = pendingWeights.keys.filter { !policy.ignores($0) }.sorted()
        pendingWeights = [:]
        let error = ParameterLoadError(
            source: weightsSource,
            missing: missingPaths.filter { !policy.permitsMissing($0) }.sorted(),
            unexpected: unexpected,
            mismatched: mismatches)
        missingPaths = []
        mismatches = []
        if !error.isEmpty { throw error }
    }

    /// Copies `weights` (full paths → tensors) into the existing parameters, in place (layers
    /// and optimisers keep their tensors). Validates everything first and changes nothing when
    /// it throws: missing keys (unless the policy allows them: a partial load, e.g. only the
    /// prompt tensors into a frozen backbone), unexpected keys and shape mismatches are listed
    /// together.
    public func load(
        _ weights: [String: Tensor], source: String, policy: LoadPolicy = .strict
    ) throws(ParameterLoadError) {
        if let error = problems(loading: weights, source: source, policy: policy) { throw error }
        assign(weights)
    }

    /// What `load` would report for `weights`, or nil when they fit.
    func problems(loading weights: [String: Tensor], source: String, policy: LoadPolicy)
        -> ParameterLoadError?
    {
        var missing: [String] = []
        var mismatched: [ParameterLoadError.Mismatch] = []
        for entry in entries {
            guard let tensor = weights[entry.path] else {
                if !policy.permitsMissing(entry.path) { missing.append(entry.path) }
                continue
            }
            if tensor.shape != entry.tensor.shape {
                mismatched.append(
                    .init(path: entry.path, expected: entry.tensor.shape, actual: tensor.shape))
            }
        }
        let unexpected = weights.keys.filter { indexByPath[$0] == nil && !policy.ignores($0) }
        let error = ParameterLoadError(
            source: source, missing: missing, unexpected: unexpected.sorted(),
            mismatched: mismatched)
        return error.isEmpty ? nil : error
    }

    /// Copies every tensor of `weights` that names a parameter into it (shapes already checked).
    func assign(_ weights: [String: Tensor]) {
        for entry in entries {
            if let tensor = weights[entry.path] { entry.tensor.assign(tensor) }
        }
    }

    /// Stops gradients for every parameter at or under `prefix` (`"encoder"` matches
    /// `encoder.layer.0...` but not `encoder2...`; `""` matches everything).
    public func freeze(prefix: String) { setTrainable(false) { Self.path($0, isUnder: prefix) } }

    /// Stops gradients for every parameter whose entry satisfies `predicate`.
    public func freeze(where predicate: (Entry) -> Bool) { setTrainable(false, predicate) }

    /// Lets gradients flow again to every parameter at or under `prefix`.
    public func unfreeze(prefix: String) { setTrainable(true) { Self.path($0, isUnder: prefix) } }

    /// Lets gradients flow again to every parameter whose entry satisfies `predicate`.
    public func unfreeze(where predicate: (Entry) -> Bool) { setTrainable(true, predicate) }

    private func setTrainable(_ trainable: Bool, _ predicate: (Entry) -> Bool) {
        for entry in entries where predicate(entry) {
            entry.tensor.requiresGrad = trainable
            if !trainable { entry.tensor.zeroGradient() }
        }
    }

    /// True when `path` equals `prefix` or lies under it (component-wise).
    static func path(_ entry: Entry, isUnder prefix: String) -> Bool {
        prefix.isEmpty || entry.path == prefix || entry.path.hasPrefix(prefix + ".")
    }

    /// The parameters that receive gradients.
    public var trainableEntries: [Entry] { entries.filter(\.isTrainable) }

    /// The number of trainable scalars.
    public var trainableParameterCount: Int {
        entries.filter(\.isTrainable).reduce(0) { $0 + $1.tensor.count }
    }

    /// The number of frozen scalars.
    public var frozenParameterCount: Int {
        entries.filter { !$0.isTrainable }.reduce(0) { $0 + $1.tensor.count }
    }

    /// Clears every parameter's gradient.
    public func zeroGradients() {
        for entry in entries { entry.tensor.zeroGradient() }
    }

    /// Path → tensor for every parameter (or those satisfying `predicate`), e.g. for saving.
    public func tensors(where predicate: (Entry) -> Bool = { _ in true }) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for entry in entries where predicate(entry) { result[entry.path] = entry.tensor }
        return result
    }
}

/// A path prefix in a `ParameterStore`: what a layer receives as `parameters:`.
public struct ParameterScope {
    /// The store the parameters live in.
    public let store: ParameterStore
    /// The dot-separated path of this scope (empty at the root).
    public let path: String

    /// The scope one or more components deeper: `scope("attention").scope("self.query")`.
    public func scope(_ name: String) -> ParameterScope {
        precondition(!name.isEmpty, "ParameterScope.scope: empty name under \"\(path)\"")
        return ParameterScope(store: store, path: fullPath(name))
    }

    /// The full path of a local name in this scope.
    public func fullPath(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    /// The parameter `name` in this scope, taken from loaded weights or initialised.
    public func parameter(
        _ name: String, shape: [Int], role: ParameterRole, initializer: ParameterInitializer
    ) -> Tensor {
        store.parameter(path: fullPath(name), shape: shape, role: role, initializer: initializer)
    }
}

/// Which differences between a model and a set of weights a load accepts.
public struct LoadPolicy: Sendable {
    /// Model parameters absent from the weights keep their current values (a partial load).
    public var allowsMissing: Bool
    /// Keys in the weights that match no parameter and start with one of these prefixes are
    /// skipped instead of reported (e.g. `["pooler."]` for a BERT used without its pooler).
    public var ignoredPrefixes: [String]
    /// Parameters at or under these paths may be absent even when `allowsMissing` is false
    /// (e.g. the task head and prompts when loading a pre-trained backbone: everything else
    /// must be there).
    public var missingPrefixes: [String]

    /// Creates a policy.
    public init(allowsMissing: Bool, ignoredPrefixes: [String] = [], missingPrefixes: [String] = []) {
        self.allowsMissing = allowsMissing
        self.ignoredPrefixes = ignoredPrefixes
        self.missingPrefixes = missingPrefixes
    }

    /// Every parameter present with its shape, and nothing else.
    public static let strict = LoadPolicy(allowsMissing: false)
    /// The weights may hold a subset of the parameters (e.g. only the prompts); unexpected and
    /// mismatched keys still fail.
    public static let partial = LoadPolicy(allowsMissing: true)

    func ignores(_ key: String) -> Bool { ignoredPrefixes.contains { key.hasPrefix($0) } }

    /// Whether the parameter at `path` may be absent from the weights.
    func permitsMissing(_ path: String) -> Bool {
        allowsMissing
            || missingPrefixes.contains { path == $0 || path.hasPrefix($0 + ".") }
    }
}

/// Weights that do not fit the model: every problem at once.
public struct ParameterLoadError: Error, CustomStringConvertible, Equatable {
    /// A key whose shape differs between model and weights.
    public struct Mismatch: Sendable, Equatable {
        /// The full path.
        public let path: String
        /// The model's shape.
        public let expected: [Int]
        /// The weights' shape.
        public let actual: [Int]

        /// A mismatch at `path`.
        public init(path: String, expected: [Int], actual: [Int]) {
            self.path = path
            self.expected = expected
            self.actual = actual
        }
    }

    /// Where the weights came from (a file path).
    public let source: String
    /// Model parameters that the weights lack.
    public let missing: [String]
    /// Keys in the weights that no parameter uses.
    public let unexpected: [String]
    /// Keys present in both with different shapes.
    public let mismatched: [Mismatch]

    var isEmpty: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty }

    /// Every problem, one per line, and what to do.
    public var description: String {
        var lines = ["weights in \(source) do not fit the model:"]
        if !missing.isEmpty {
            lines.append("  missing (\(missing.count)): \(missing.joined(separator: ", "))")
        }
        if !unexpected.isEmpty {
            lines.append(
                "  unexpected (\(unexpected.count)): \(unexpected.joined(separator: ", "))")
        }
        for mismatch in mismatched {
            lines.append(
                "  shape of \(mismatch.path): model \(mismatch.expected), weights \(mismatch.actual)"
            )
        }
        lines.append(
            "  check that the configuration matches the one the weights were saved with; for a "
                + "subset of the weights (e.g. prompts only) load with LoadPolicy.partial")
        return lines.joined(separator: "\n")
    }
}
