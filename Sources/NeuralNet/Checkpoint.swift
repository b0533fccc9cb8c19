import Foundation
import Tensors
import VTGCore

/// Where a training run stands, saved with a checkpoint so that a resumed run continues
/// exactly: the same batches, the same dropout and DropKey masks.
public struct TrainingProgress: Codable, Equatable, Sendable {
    /// The epoch in progress (0-based).
    public var epoch: Int
    /// The next batch to train within the epoch (0-based).
    public var batch: Int
    /// `SeededGenerator.state` of the run's generator.
    public var generatorState: [UInt64]

    /// Creates a training position.
    public init(epoch: Int, batch: Int, generatorState: [UInt64]) {
        self.epoch = epoch
        self.batch = batch
        self.generatorState = generatorState
    }

    private enum CodingKeys: String, CodingKey {
        case epoch, batch
        case generatorState = "generator_state"
    }

    /// Decodes a position whose generator words are hexadecimal strings (JSON numbers above
    /// 2^53 do not survive every reader).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epoch = try container.decode(Int.self, forKey: .epoch)
        batch = try container.decode(Int.self, forKey: .batch)
        let words = try container.decode([String].self, forKey: .generatorState)
        generatorState = try words.map { word in
            guard let value = UInt64(word, radix: 16) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .generatorState, in: container,
                    debugDescription: "\(word) is not a hexadecimal 64-bit word")
            }
            return value
        }
    }

    /// Encodes the position, the generator words as hexadecimal strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(epoch, forKey: .epoch)
        try container.encode(batch, forKey: .batch)
        try container.encode(
            generatorState.map { String($0, radix: 16) }, forKey: .generatorState)
    }
}

/// What a checkpoint holds besides tensors.
public struct CheckpointContents: Sendable {
    /// The model configuration JSON the run saved (nil when none was given).
    public let configuration: String?
    /// The training position (nil for a weights-only checkpoint).
    public let progress: TrainingProgress?
    /// The optimiser's step count (nil when no optimiser state was saved).
    public let optimizerStep: Int?
    /// The raw `__metadata__` map.
    public let metadata: [String: String]

    /// The checksum of the file's tensor data that this project writes into every checkpoint
    /// (verified when the file is read): what a prompt-tuned run records to name the frozen
    /// backbone it was trained on. Nil for files written by other tools.
    public var dataChecksum: String? { metadata[CheckpointFile.checksumKey] }
}

/// Training checkpoints: model weights under their parameter paths, optimiser state under
/// `optimizer/<state>/<path>` (e.g. `optimizer/exp_avg/encoder.layer.0.output.dense.weight`),
/// and in `__metadata__` the configuration JSON (`configuration`), the training position
/// (`training_progress`, JSON) and the optimiser's kind and step (`optimizer`, JSON), in one
/// safetensors file written atomically (`CheckpointFile`).
///
/// Restoring is all-or-nothing: the file, the metadata, the weights (under the load policy)
/// and the optimiser state are all checked before anything is changed.
public enum Checkpoint {
    static let optimizerPrefix = "optimizer/"
    static let formatKey = "format"
    static let formatValue = "promptvtg-checkpoint-1"

    private struct OptimizerRecord: Codable {
        var kind: String
        var step: Int
    }

    /// Saves the parameters that satisfy `including` (all by default; e.g. only the trainable
    /// ones for a prompt-tuned checkpoint), the optimiser's state, the training position and the
    /// configuration JSON to `url`, atomically.
    public static func save(
        to url: URL, parameters: ParameterStore,
        including: (ParameterStore.Entry) -> Bool = { _ in true },
        optimizer: (any Optimizer)? = nil, progress: TrainingProgress? = nil,
        configuration: String? = nil
    ) throws(CheckpointFileError) {
        var entries = parameters.entries.filter(including).map {
            SafetensorsEntry(name: $0.path, tensor: $0.tensor)
        }
        var metadata = [formatKey: formatValue]
        if let configuration { metadata["configuration"] = configuration }
        if let progress { metadata["training_progress"] = encoded(progress) }
        if let optimizer {
            let state = optimizer.stateTensors()
            for key in state.keys.sorted() {
                if let tensor = state[key] {
                    entries.append(SafetensorsEntry(name: optimizerPrefix + key, tensor: tensor))
                }
            }
            metadata["optimizer"] = encoded(
                OptimizerRecord(kind: optimizer.kind, step: optimizer.stepCount))
        }
        try CheckpointFile.write(entries, metadata: metadata, to: url)
    }

    /// Reads only the metadata of the checkpoint at `url` (e.g. to rebuild the model from its
    /// configuration before restoring into it). Validates the whole file.
    public static func contents(of url: URL) throws(CheckpointError) -> CheckpointContents {
        let file: CheckpointFile
        do { file = try CheckpointFile(url) } catch { throw .file(error) }
        return try contents(of: file)
    }

    /// Reads every weight of the checkpoint at `url` (optimiser state left out) with its
    /// metadata, validating the whole file: e.g. to build a store from a pre-trained backbone
    /// (`ParameterStore(weights:source:seed:)`).
    public static func weights(at url: URL) throws(CheckpointError) -> (
        weights: [String: Tensor], contents: CheckpointContents
    ) {
        let (file, tensors) = try read(url)
        return (tensors.filter { !$0.key.hasPrefix(optimizerPrefix) }, try contents(of: file))
    }

    /// Restores the checkpoint at `url` into `parameters` (in place, under `policy`) and, when
    /// given, `optimizer` (its state must be in the file, for exactly its parameters). Nothing
    /// changes when it throws. Returns the configuration and training position to resume from
    /// (`SeededGenerator(state: progress.generatorState)`).
    @discardableResult
    public static func restore(
        from url: URL, into parameters: ParameterStore, optimizer: (any Optimizer)? = nil,
        policy: LoadPolicy = .strict
    ) throws(CheckpointError) -> CheckpointContents {
        let (file, tensors) = try read(url)
        let contents = try contents(of: file)
        var weights: [String: Tensor] = [:]
        var optimizerState: [String: Tensor] = [:]
        for (name, tensor) in tensors {
            if name.hasPrefix(optimizerPrefix) {
                optimizerState[String(name.dropFirst(optimizerPrefix.count))] = tensor
            } else {
                weights[name] = tensor
            }
        }
        if let problems = parameters.problems(loading: weights, source: url.path, policy: policy) {
            throw .weights(problems)
        }
        var optimizerStep = 0
        if let optimizer {
            guard let record = decoded(OptimizerRecord.self, contents.metadata["optimizer"]),
                record.kind == optimizer.kind
            else {
                throw .metadata(
                    path: url.path, key: "optimizer",
                    detail:
                        "expected \(optimizer.kind) state, found \(contents.metadata["optimizer"] ?? "none")"
                )
            }
            optimizerStep = record.step
            let expected = optimizer.stateTensors()
            let missing = expected.keys.filter { optimizerState[$0] == nil }.sorted()
            let unexpected = optimizerState.keys.filter { expected[$0] == nil }.sorted()
            let mismatched = expected.keys.sorted().compactMap {
                key -> ParameterLoadError.Mismatch? in
                guard let saved = optimizerState[key], let current = expected[key],
                    saved.shape != current.shape
                else { return nil }
                return .init(path: key, expected: current.shape, actual: saved.shape)
            }
            let problems = ParameterLoadError(
                source: url.path + " (optimizer state)", missing: missing,
                unexpected: unexpected, mismatched: mismatched)
            if !problems.isEmpty { throw .optimizerState(problems) }
        }
        parameters.assign(weights)
        optimizer?.restoreState(stepCount: optimizerStep, tensors: optimizerState)
        return contents
    }

    /// The validated file and all its tensors.
    private static func read(_ url: URL) throws(CheckpointError) -> (
        file: CheckpointFile, tensors: [String: Tensor]
    ) {
        do {
            let file = try CheckpointFile(url)
            return (file, try file.tensors())
        } catch {
            throw .file(error)
        }
    }

    private static func contents(of file: CheckpointFile) throws(CheckpointError)
        -> CheckpointContents
    {
        let metadata = file.metadata
        var progress: TrainingProgress? = nil
        if let text = metadata["training_progress"] {
            guard let value = decoded(TrainingProgress.self, text), value.generatorState.count == 4
            else {
                throw .metadata(
                    path: file.url.path, key: "training_progress",
                    detail: "not a training position with 4 generator words: \(text)")
            }
            progress = value
        }
        return CheckpointContents(
            configuration: metadata["configuration"], progress: progress,
            optimizerStep: decoded(OptimizerRecord.self, metadata["optimizer"])?.step,
            metadata: metadata)
    }

    private static func encoded<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding these plain records cannot fail.
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decoded<Value: Decodable>(_ type: Value.Type, _ text: String?) -> Value? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// A checkpoint that cannot be restored: the file is unreadable or corrupted, or its contents
/// do not fit the model or optimiser. Nothing was changed.
public enum CheckpointError: Error, CustomStringConvertible {
    /// The file is unreadable, truncated or corrupted.
    case file(CheckpointFileError)
    /// The weights do not fit the model (every problem listed).
    case weights(ParameterLoadError)
    /// The optimiser state does not fit the optimiser (every problem listed).
    case optimizerState(ParameterLoadError)
    /// A metadata entry is missing or malformed.
    case metadata(path: String, key: String, detail: String)

    /// The message to show: the file, the problem and what to do.
    public var description: String {
        switch self {
        case .file(let error): return error.description
        case .weights(let error): return error.description
        case .optimizerState(let error): return error.description
        case .metadata(let path, let key, let detail):
            return
                "\(path): checkpoint metadata \(key): \(detail); the file was not written by a PromptVTG training run with this optimiser, or is corrupted"
        }
    }
}
