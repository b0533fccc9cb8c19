import Foundation
import Tensors

/// One tensor to write to a checkpoint file.
public struct CheckpointEntry: Sendable {
    /// The key (a parameter path, or an optimiser state key).
    public var name: String
    /// The tensor's shape.
    public var shape: [Int]
    /// The elements, row-major.
    public var scalars: [Float]

    /// An entry with explicit elements.
    public init(name: String, shape: [Int], scalars: [Float]) {
        precondition(
            scalars.count == shape.reduce(1, *),
            "CheckpointEntry: \(name) has shape \(shape) but \(scalars.count) elements")
        self.name = name
        self.shape = shape
        self.scalars = scalars
    }

    /// An entry holding a copy of `tensor`'s elements.
    public init(name: String, tensor: Tensor) {
        self.init(name: name, shape: tensor.shape, scalars: tensor.scalars)
    }
}

/// A safetensors file, read whole and validated on opening; float32 is written, and every
/// common type is read (converted to Float).
///
/// Format (exactly safetensors): an unsigned 64-bit little-endian header length N; N bytes of
/// JSON mapping each tensor name to `{"dtype": "F32", "shape": [...], "data_offsets": [begin,
/// end]}` (offsets into the data that follows the header) plus an optional `__metadata__` map
/// of strings to strings; then the data. Files this type writes also carry a checksum of the
/// data in the metadata (`promptvtg.data_fnv1a64`), so a corrupted file is refused rather than
/// loaded; files without it (e.g. from Hugging Face) are read without the check.
///
/// Writes are atomic: a temporary file in the same folder, flushed to disk with `fsync`, then
/// renamed over the destination, so an interrupted write leaves the previous file intact.
public struct CheckpointFile {
    /// Where it was read from.
    public let url: URL
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// The tensor names, sorted.
    public let tensorNames: [String]
    private let tensorsByName: [String: (shape: [Int], dtype: String, byteRange: Range<Int>)]
    private let data: Data
    private let dataStart: Int

    /// The metadata key of the data checksum.
    static let checksumKey = "promptvtg.data_fnv1a64"

    /// Reads and validates the file at `url`: header length, JSON, every tensor's dtype, shape
    /// and byte range, and the data checksum when the file carries one.
    public init(_ url: URL) throws(CheckpointFileError) {
        self.url = url
        let path = url.path
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        data = bytes
        guard bytes.count >= 8 else {
            throw .truncated(
                path: path, detail: "\(bytes.count) bytes, fewer than the 8 of the header length")
        }
        let headerLength = bytes.withUnsafeBytes { raw in
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw .truncated(
                path: path,
                detail: "the header claims \(headerLength) bytes but only \(bytes.count - 8) follow"
            )
        }
        dataStart = 8 + Int(headerLength)
        let header: [String: Any]
        do {
            let object = try JSONSerialization.jsonObject(
                with: bytes.subdata(in: 8..<dataStart), options: [])
            guard let dictionary = object as? [String: Any] else {
                throw CheckpointFileError.malformedHeader(
                    path: path, detail: "the header is not a JSON object")
            }
            header = dictionary
        } catch let error as CheckpointFileError {
            throw error
        } catch {
            throw .malformedHeader(
                path: path, detail: "the header is not valid JSON (\(error.localizedDescription))")
        }
        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let strings = raw as? [String: Any] else {
                throw .malformedHeader(path: path, detail: "__metadata__ is not an object")
            }
            for (key, value) in strings {
                guard let text = value as? String else {
                    throw .malformedHeader(
                        path: path, detail: "__metadata__[\(key)] is not a string")
                }
                metadata[key] = text
            }
        }
        self.metadata = metadata
        let dataLength = bytes.count - dataStart
        var tensors: [String: (shape: [Int], dtype: String, byteRange: Range<Int>)] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let description = value as? [String: Any],
                let dtype = description["dtype"] as? String,
                let shape = CheckpointFile.integers(description["shape"]),
                let offsets = CheckpointFile.integers(description["data_offsets"]),
                offsets.count == 2, shape.allSatisfy({ $0 >= 0 })
            else {
                throw .malformedHeader(
                    path: path,
                    detail: "tensor \(name) lacks a valid dtype, shape or data_offsets")
            }
            guard let elementSize = CheckpointFile.elementSizes[dtype] else {
                throw .unsupportedType(path: path, tensor: name, dtype: dtype)
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw .truncated(
                    path: path,
                    detail:
                        "tensor \(name) needs data bytes \(begin)..<\(end) but the file holds \(dataLength)"
                )
            }
            let expectedBytes = shape.reduce(1, *) * elementSize
            guard end - begin == expectedBytes else {
                throw .malformedHeader(
                    path: path,
                    detail:
                        "tensor \(name) of shape \(shape) needs \(expectedBytes) bytes, data_offsets give \(end - begin)"
                )
            }
            tensors[name] = (shape, dtype, (dataStart + begin)..<(dataStart + end))
        }
        tensorsByName = tensors
        tensorNames = tensors.keys.sorted()
        if let expected = metadata[CheckpointFile.checksumKey] {
            let actual = CheckpointFile.checksumText(
                bytes.withUnsafeBytes { raw in
                    CheckpointFile.checksum(UnsafeRawBufferPointer(rebasing: raw[dataStart...]))
                })
            guard actual == expected else {
                throw .checksumMismatch(path: path, expected: expected, actual: actual)
            }
        }
    }

    /// The shape of tensor `name`, or nil when the file has no such tensor.
    public func shape(of name: String) -> [Int]? { tensorsByName[name]?.shape }

    /// The stored type of tensor `name` (`"F32"`, `"I64"`, ...), or nil.
    public func dtype(of name: String) -> String? { tensorsByName[name]?.dtype }

    /// The elements of tensor `name`, row-major, converted to Float when stored in another
    /// type (F64, F16, BF16, integers, BOOL; e.g. BERT's `embeddings.position_ids` is I64).
    public func scalars(of name: String) throws(CheckpointFileError) -> [Float] {
        guard let tensor = tensorsByName[name] else {
            throw .missingTensor(path: url.path, tensor: name)
        }
        let count = tensor.shape.reduce(1, *)
        return data.withUnsafeBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[tensor.byteRange])
            if tensor.dtype == "F32" {
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    // Little-endian floats, as the format specifies (and this machine stores).
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
                    initialized = count
                }
            }
            return (0..<count).map { CheckpointFile.element(bytes, $0, dtype: tensor.dtype) }
        }
    }

    /// Bytes per element of the types this reader converts.
    static let elementSizes: [String: Int] = [
        "F32": 4, "F64": 8, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
        "U8": 1, "BOOL": 1,
    ]

    /// Element `index` of little-endian `bytes` of type `dtype`, as a Float.
    static func element(_ bytes: UnsafeRawBufferPointer, _ index: Int, dtype: String) -> Float {
        switch dtype {
        case "F64":
            return Float(
                Double(
                    bitPattern: UInt64(
                        littleEndian: bytes.loadUnaligned(
                            fromByteOffset: 8 * index, as: UInt64.self))))
        case "F16":
            return halfToFloat(
                UInt16(
                    littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
        case "BF16":
            let bits = UInt16(
                littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
            return Float(bitPattern: UInt32(bits) << 16)
        case "I64":
            return Float(
                Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)))
        case "I32":
            return Float(
                Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
        case "I16":
            return Float(
                Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: Int16.self)))
        case "I8": return Float(Int8(bitPattern: bytes[index]))
        default: return Float(bytes[index])  // U8, BOOL
        }
    }

    /// IEEE half precision to single (subnormals, infinities and NaN included).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default:
            return sign * (1 + fraction / 1024)
                * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// Every tensor, by name.
    public func tensors() throws(CheckpointFileError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in tensorNames {
            result[name] = Tensor(
                shape: tensorsByName[name]?.shape ?? [], scalars: try scalars(of: name))
        }
        return result
    }

    /// Writes `entries` and `metadata` to `url` atomically (see the type's documentation),
    /// adding the data checksum to the metadata. Entries are stored in the order given; names
    /// must be distinct and must not be `__metadata__`.
    public static func write(
        _ entries: [CheckpointEntry], metadata: [String: String], to url: URL
    ) throws(CheckpointFileError) {
        var names: Set<String> = ["__metadata__"]
        for entry in entries {
            precondition(
                names.insert(entry.name).inserted,
                "CheckpointFile.write: duplicate or reserved name \(entry.name)")
        }
        var header: [String: Any] = [:]
        var offset = 0
        var hasher = FNV1a64()
        for entry in entries {
            let byteCount = entry.scalars.count * MemoryLayout<Float>.size
            header[entry.name] = [
                "dtype": "F32", "shape": entry.shape, "data_offsets": [offset, offset + byteCount],
            ]
            offset += byteCount
            entry.scalars.withUnsafeBytes { hasher.combine($0) }
        }
        var fullMetadata = metadata
        fullMetadata[checksumKey] = checksumText(hasher.finalValue)
        header["__metadata__"] = fullMetadata
        var headerBytes: Data
        do {
            headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        } catch {
            throw .writeFailed(path: url.path, reason: "the header could not be encoded: \(error)")
        }
        // Pad with spaces so that the data starts 8-byte aligned, as the reference writer does.
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }

        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        )
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw .writeFailed(
                path: url.path,
                reason:
                    "cannot create \(temporary.path): \(String(cString: strerror(errno))); check that the folder exists and is writable"
            )
        }
        var failure: String? = nil
        func writeAll(_ buffer: UnsafeRawBufferPointer) {
            var written = 0
            while failure == nil && written < buffer.count {
                let result = Foundation.write(
                    descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = "write failed: \(String(cString: strerror(errno)))"
                } else {
                    written += result
                }
            }
        }
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { writeAll($0) }
        headerBytes.withUnsafeBytes { writeAll($0) }
        for entry in entries where failure == nil {
            entry.scalars.withUnsafeBytes { writeAll($0) }
        }
        if failure == nil && fsync(descriptor) != 0 {
            failure = "fsync failed: \(String(cString: strerror(errno)))"
        }
        if close(descriptor) != 0 && failure == nil {
            failure = "close failed: \(String(cString: strerror(errno)))"
        }
        if failure == nil && rename(temporary.path, url.path) != 0 {
            failure = "rename onto the destination failed: \(String(cString: strerror(errno)))"
        }
        if let failure {
            unlink(temporary.path)
            throw .writeFailed(
                path: url.path, reason: failure + "; the previous file, if any, is unchanged")
        }
        // Make the rename itself durable.
        let folder = open(directory.path, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Reads a JSON array of integers.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            if let integer = element as? Int {
                result.append(integer)
            } else if let number = element as? NSNumber {
                result.append(number.intValue)
            } else {
                return nil
            }
        }
        return result
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
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file ends before the header or a tensor's data.
    case truncated(path: String, detail: String)
    /// The header is not the safetensors JSON layout.
    case malformedHeader(path: String, detail: String)
    /// A tensor is stored in a type this reader does not convert.
    case unsupportedType(path: String, tensor: String, dtype: String)
    /// The data does not match the checksum written with it.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// A requested tensor is not in the file.
    case missingTensor(path: String, tensor: String)
    /// Writing failed (the destination is unchanged).
    case writeFailed(path: String, reason: String)

    /// The message to show: the file, the problem and what to do.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the checkpoint (\(reason)); check the path and permissions"
        case .truncated(let path, let detail):
            return
                "\(path): the checkpoint is truncated: \(detail); the file was cut short (an interrupted copy?): use an earlier checkpoint or copy it again"
        case .malformedHeader(let path, let detail):
            return
                "\(path): not a valid safetensors checkpoint: \(detail); the file is corrupted or of another format: use an earlier checkpoint"
        case .unsupportedType(let path, let tensor, let dtype):
            return
                "\(path): tensor \(tensor) is stored as \(dtype), which this reader does not convert (F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL); convert the file to float32 (e.g. with safetensors in Python)"
        case .checksumMismatch(let path, let expected, let actual):
            return
                "\(path): the data checksum is \(actual), the header records \(expected): the file is corrupted; use an earlier checkpoint"
        case .missingTensor(let path, let tensor):
            return
                "\(path): no tensor named \(tensor); list the file's tensors with CheckpointFile.tensorNames"
        case .writeFailed(let path, let reason):
            return "\(path): cannot write the checkpoint: \(reason)"
        }
    }
}
