import Foundation
import Tensors

/// A checkpoint on disk: a safetensors file, read by `SafetensorsFile` and written by
/// `SafetensorsWriter` (so every check of that reader applies: duplicate names, overlapping or
/// uncovered bytes, sizes that do not match shapes), plus a checksum of its data.
///
/// Files this type writes carry the checksum in their metadata (`promptvtg.data_fnv1a64`,
/// FNV-1a over the data section), and a file whose data no longer matches it is refused rather
/// than loaded; files without it (e.g. from Hugging Face) are read without the check. What else a
/// training checkpoint holds (optimiser state, training position, run configuration) is laid out
/// by ``Checkpoint``.
public struct CheckpointFile: Sendable {
    /// The validated safetensors file (shapes, data types, metadata).
    public let safetensors: SafetensorsFile

    /// The metadata key of the data checksum.
    static let checksumKey = "promptvtg.data_fnv1a64"

    /// Where it was read from.
    public var url: URL { safetensors.url }
    /// The `__metadata__` map (empty when absent).
    public var metadata: [String: String] { safetensors.metadata }
    /// The tensor names, sorted.
    public var tensorNames: [String] { safetensors.tensorNames }

    /// Opens and validates the file at `url`: the whole safetensors header, and the data
    /// checksum when the file carries one.
    public init(_ url: URL) throws(CheckpointFileError) {
        do {
            safetensors = try SafetensorsFile(contentsOf: url)
        } catch {
            throw .file(error)
        }
        if let expected = safetensors.metadata[Self.checksumKey] {
            let data: [UInt8]
            do { data = try safetensors.dataSection() } catch { throw .file(error) }
            let actual = data.withUnsafeBytes { Self.checksumText(Self.checksum($0)) }
            guard actual == expected else {
                throw .checksumMismatch(path: url.path, expected: expected, actual: actual)
            }
        }
    }

    /// The elements of tensor `name`, row-major, converted to Float (see
    /// `SafetensorsFile.scalars(of:)`).
    public func scalars(of name: String) throws(CheckpointFileError) -> [Float] {
        do { return try safetensors.scalars(of: name) } catch { throw .file(error) }
    }

    /// Every tensor, by name, converted to Float32.
    public func tensors() throws(CheckpointFileError) -> [String: Tensor] {
        do { return try safetensors.tensors() } catch { throw .file(error) }
    }

    /// Writes `entries` and `metadata` to `url` atomically with `SafetensorsWriter`, adding the
    /// data checksum to the metadata. Names must be distinct and must not be `__metadata__`.
    public static func write(
        _ entries: [SafetensorsEntry], metadata: [String: String], to url: URL
    ) throws(CheckpointFileError) {
        var hasher = FNV1a64()
        for entry in SafetensorsWriter.fileOrder(entries) {
            entry.scalars.withUnsafeBytes { hasher.combine($0) }
        }
        var fullMetadata = metadata
        fullMetadata[checksumKey] = checksumText(hasher.finalValue)
        do {
            try SafetensorsWriter.write(entries, metadata: fullMetadata, to: url)
        } catch {
            throw .file(error)
        }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = FNV1a64()
        hasher.combine(bytes)
        return hasher.finalValue
    }

    static func checksumText(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// FNV-1a over 64-bit little-endian words (a trailing partial word is zero-padded): a fast
/// checksum that catches flipped, truncated or shuffled data; not a cryptographic hash.
struct FNV1a64 {
    private var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private var pending: [UInt8] = []

    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        if !pending.isEmpty {
            while index < bytes.count && pending.count < 8 {
                pending.append(bytes[index])
                index += 1
            }
            if pending.count == 8 {
                mix(pending.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                pending.removeAll()
            }
        }
        while index + 8 <= bytes.count {
            mix(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        while index < bytes.count {
            pending.append(bytes[index])
            index += 1
        }
    }

    /// The checksum of everything combined so far.
    var finalValue: UInt64 {
        var copy = self
        if !copy.pending.isEmpty {
            let padded = copy.pending + [UInt8](repeating: 0, count: 8 - copy.pending.count)
            copy.mix(padded.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        }
        return copy.value
    }

    private mutating func mix(_ word: UInt64) {
        value = (value ^ UInt64(littleEndian: word)) &* 0x0000_0100_0000_01b3
    }
}

/// A checkpoint file that cannot be read or written; each case names the file, what was found
/// and what to do.
public enum CheckpointFileError: Error, CustomStringConvertible, Equatable {
    /// The file is not a readable, valid safetensors file, or could not be written.
    case file(SafetensorsError)
    /// The data does not match the checksum written with it.
    case checksumMismatch(path: String, expected: String, actual: String)

    /// The message to show: the file, the problem and what to do.
    public var description: String {
        switch self {
        case .file(let error):
            switch error.problem {
            case .cannotWrite, .invalidEntry: return error.description
            default:
                return error.description
                    + "; if it is a training checkpoint, use an earlier checkpoint or train again"
            }
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path): the data checksum is \(actual), the header records \(expected):"
                + " the file is corrupted; use an earlier checkpoint"
        }
    }
}
