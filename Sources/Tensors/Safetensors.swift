import Foundation
import VTGCore

/// The element types of the safetensors format, by their header names.
public enum SafetensorsDataType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: 1
        case .int16, .uint16, .float16, .bfloat16: 2
        case .int32, .uint32, .float32: 4
        case .float64, .int64, .uint64: 8
        }
    }
}

/// A Hugging Face safetensors file, validated and memory-mapped for reading.
///
/// Layout: a little-endian `UInt64` header length `n`, `n` bytes of JSON header, then the data
/// section. The header maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}`
/// (byte offsets into the data section) and may hold `"__metadata__"`, a string-to-string map.
///
/// Opening reads and checks the whole header: valid JSON, known data types, byte sizes that match
/// shapes, offsets inside the data section, no overlaps, no duplicate names, and no byte of the
/// data section left unclaimed. Tensor data are read on demand by `scalars(of:)`: F32 straight
/// into the returned array, every other type but the 8-bit floats converted (the one place in
/// PromptVTG that does). The file stays open while the value lives.
///
/// PromptVTG's one safetensors reader: checkpoints (`NeuralNet.CheckpointFile`) are read
/// through it, so every check above applies to them too.
public struct SafetensorsFile: Sendable {
    /// Where one tensor is and how to read it.
    struct TensorRecord: Sendable {
        let dataType: SafetensorsDataType
        let shape: [Int]
        /// Byte range inside the data section.
        let byteRange: Range<Int>
    }

    /// The file's location.
    public let url: URL
    /// The header's `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// The tensor names, sorted.
    public let tensorNames: [String]

    private let records: [String: TensorRecord]
    private let file: ReadOnlyFile
    /// Offset of the data section in the file: 8 + header length.
    private let dataStart: Int
    /// Length of the data section in bytes.
    private let dataByteCount: Int

    /// Opens the safetensors file at `url` and validates its header.
    public init(contentsOf url: URL) throws(SafetensorsError) {
        let path = url.path
        func failure(_ problem: SafetensorsError.Problem) -> SafetensorsError {
            SafetensorsError(path: path, problem: problem)
        }
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            throw failure(.cannotRead(reason: error.reason))
        }
        guard file.byteCount >= 8 else { throw failure(.truncatedFile(byteCount: file.byteCount)) }
        func read(at offset: Int, count: Int) throws(SafetensorsError) -> [UInt8] {
            do {
                return try file.bytes(at: offset, count: count)
            } catch {
                throw failure(.cannotRead(reason: error.reason))
            }
        }
        let headerLength = try read(at: 0, count: 8).withUnsafeBytes {
            UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))
        }
        guard headerLength <= UInt64(file.byteCount - 8) else {
            throw failure(
                .headerLengthPastEnd(
                    headerLength: headerLength, bytesAfterLengthField: file.byteCount - 8))
        }
        let header = try read(at: 8, count: Int(headerLength))
        let dataByteCount = file.byteCount - 8 - Int(headerLength)
        let (metadata, records) = try Self.parseHeader(
            header, dataByteCount: dataByteCount, path: path)
        self.url = url
        self.file = file
        self.metadata = metadata
        self.records = records
        dataStart = 8 + Int(headerLength)
        self.dataByteCount = dataByteCount
        tensorNames = records.keys.sorted()
    }

    /// The shape of the tensor `name` (`[]` for a scalar).
    public func shape(of name: String) throws(SafetensorsError) -> [Int] {
        try record(of: name).shape
    }

    /// The element type of the tensor `name` as stored in the file.
    public func dataType(of name: String) throws(SafetensorsError) -> SafetensorsDataType {
        try record(of: name).dataType
    }

    /// The elements of the tensor `name` in row-major order, converted to `Float`: exact for F32,
    /// F16 and BF16; F64 and 32- and 64-bit integers rounded to the nearest Float; BOOL as 0 or 1.
    /// The 8-bit float types throw `unsupportedDataType`.
    public func scalars(of name: String) throws(SafetensorsError) -> [Float] {
        let record = try record(of: name)
        let count = record.byteRange.count / record.dataType.byteCount
        let offset = dataStart + record.byteRange.lowerBound
        // Little-endian elements of type `Element`, each converted to Float.
        func converted<Element: FixedWidthInteger>(
            _ type: Element.Type, _ convert: (Element) -> Float
        ) throws(SafetensorsError) -> [Float] {
            try readArray(of: type, count: count, at: offset).map {
                convert(Element(littleEndian: $0))
            }
        }
        switch record.dataType {
        case .float32:
            // Read straight into the array: one copy, from the page cache.
            let scalars = try readArray(of: Float.self, count: count, at: offset)
            #if _endian(big)
                return scalars.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
            #else
                return scalars
            #endif
        case .float16: return try converted(UInt16.self) { Float(float16BitPattern: $0) }
        case .bfloat16: return try converted(UInt16.self) { Float(bfloat16BitPattern: $0) }
        case .float64: return try converted(UInt64.self) { Float(Double(bitPattern: $0)) }
        case .int64: return try converted(Int64.self) { Float($0) }
        case .uint64: return try converted(UInt64.self) { Float($0) }
        case .int32: return try converted(Int32.self) { Float($0) }
        case .uint32: return try converted(UInt32.self) { Float($0) }
        case .int16: return try converted(Int16.self) { Float($0) }
        case .uint16: return try converted(UInt16.self) { Float($0) }
        case .int8: return try converted(Int8.self) { Float($0) }
        case .uint8, .bool: return try converted(UInt8.self) { Float($0) }
        case .float8E5M2, .float8E4M3:
            throw SafetensorsError(
                path: url.path,
                problem: .unsupportedDataType(tensor: name, dataType: record.dataType))
        }
    }

    /// The whole data section (every tensor's bytes, in file order), e.g. to verify a checksum
    /// of it.
    public func dataSection() throws(SafetensorsError) -> [UInt8] {
        try readArray(of: UInt8.self, count: dataByteCount, at: dataStart)
    }

    /// `count` elements of `Element` read from the file at `offset`.
    private func readArray<Element>(of type: Element.Type, count: Int, at offset: Int)
        throws(SafetensorsError) -> [Element]
    {
        var failure: FileSystemError? = nil
        let elements = [Element](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            do throws(FileSystemError) {
                try file.read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                initializedCount = count
            } catch {
                failure = error
                initializedCount = 0
            }
        }
        if let failure {
            throw SafetensorsError(path: url.path, problem: .cannotRead(reason: failure.reason))
        }
        return elements
    }

    private func record(of name: String) throws(SafetensorsError) -> TensorRecord {
        guard let record = records[name] else {
            throw SafetensorsError(
                path: url.path, problem: .tensorNotFound(name: name, availableCount: records.count))
        }
        return record
    }

    /// Parses and validates the JSON header against a data section of `dataByteCount` bytes.
    static func parseHeader(
        _ header: [UInt8], dataByteCount: Int, path: String
    ) throws(SafetensorsError) -> (metadata: [String: String], records: [String: TensorRecord]) {
        func failure(_ problem: SafetensorsError.Problem) -> SafetensorsError {
            SafetensorsError(path: path, problem: problem)
        }
        let root: JSONValue
        do {
            // Our own parser, not JSONSerialization: it keeps duplicate names, which must be
            // refused, and offsets as exact integers.
            root = try JSONParser.parse(bytes: header[...])
        } catch {
            throw failure(.invalidHeaderJSON(byteOffset: error.byteOffset, reason: error.reason))
        }
        guard case .object(let members) = root else {
            throw failure(
                .invalidHeader(
                    key: "(top level)",
                    reason: "expected an object, found \(root.kindDescription)"))
        }
        var metadata: [String: String] = [:]
        var records: [String: TensorRecord] = [:]
        var names = Set<String>()
        for member in members {
            guard names.insert(member.key).inserted else {
                throw failure(.duplicateTensorName(member.key))
            }
            if member.key == "__metadata__" {
                metadata = try parseMetadata(member.value, failure: failure)
            } else {
                records[member.key] = try parseTensor(
                    name: member.key, member.value, dataByteCount: dataByteCount, failure: failure)
            }
        }
        try checkCoverage(records, dataByteCount: dataByteCount, failure: failure)
        return (metadata, records)
    }

    private static func parseMetadata(
        _ value: JSONValue, failure: (SafetensorsError.Problem) -> SafetensorsError
    ) throws(SafetensorsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw failure(
                .invalidHeader(
                    key: "__metadata__",
                    reason: "expected an object, found \(value.kindDescription)"))
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw failure(
                    .invalidHeader(
                        key: "__metadata__.\(member.key)",
                        reason: "expected a string, found \(member.value.kindDescription)"))
            }
            guard metadata.updateValue(text, forKey: member.key) == nil else {
                throw failure(.duplicateTensorName("__metadata__.\(member.key)"))
            }
        }
        return metadata
    }

    private static func parseTensor(
        name: String, _ value: JSONValue, dataByteCount: Int,
        failure: (SafetensorsError.Problem) -> SafetensorsError
    ) throws(SafetensorsError) -> TensorRecord {
        guard case .object(let members) = value else {
            throw failure(
                .invalidHeader(
                    key: name, reason: "expected an object, found \(value.kindDescription)"))
        }
        func member(_ key: String) throws(SafetensorsError) -> JSONValue {
            let matches = members.filter { $0.key == key }
            guard matches.count == 1 else {
                let reason = matches.isEmpty ? "missing" : "given \(matches.count) times"
                throw failure(.invalidHeader(key: "\(name).\(key)", reason: reason))
            }
            return matches[0].value
        }
        func integers(_ key: String) throws(SafetensorsError) -> [Int] {
            let value = try member(key)
            guard case .array(let elements) = value else {
                throw failure(
                    .invalidHeader(
                        key: "\(name).\(key)",
                        reason: "expected an array, found \(value.kindDescription)")
                )
            }
            var result: [Int] = []
            for element in elements {
                guard let integer = element.nonNegativeInteger else {
                    throw failure(
                        .invalidHeader(
                            key: "\(name).\(key)", reason: "expected non-negative integers"))
                }
                result.append(integer)
            }
            return result
        }

        guard case .string(let dataTypeName) = try member("dtype") else {
            throw failure(.invalidHeader(key: "\(name).dtype", reason: "expected a string"))
        }
        guard let dataType = SafetensorsDataType(rawValue: dataTypeName) else {
            throw failure(.unknownDataType(tensor: name, dataType: dataTypeName))
        }
        let shape = try integers("shape")
        let offsets = try integers("data_offsets")
        guard offsets.count == 2, offsets[0] <= offsets[1] else {
            throw failure(
                .invalidHeader(
                    key: "\(name).data_offsets", reason: "expected [begin, end] with begin <= end"))
        }
        guard offsets[1] <= dataByteCount else {
            throw failure(
                .offsetsOutOfRange(
                    tensor: name, begin: offsets[0], end: offsets[1], dataByteCount: dataByteCount))
        }
        var byteCount = dataType.byteCount
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw failure(
                    .invalidHeader(key: "\(name).shape", reason: "\(shape) has too many elements"))
            }
            byteCount = product
        }
        guard byteCount == offsets[1] - offsets[0] else {
            throw failure(
                .shapeSizeMismatch(
                    tensor: name, shape: shape, dataType: dataType, expectedByteCount: byteCount,
                    actualByteCount: offsets[1] - offsets[0]))
        }
        return TensorRecord(dataType: dataType, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    /// Checks that the tensors tile the data section exactly: no overlap, no gap, no trailing bytes.
    private static func checkCoverage(
        _ records: [String: TensorRecord], dataByteCount: Int,
        failure: (SafetensorsError.Problem) -> SafetensorsError
    ) throws(SafetensorsError) {
        let ordered = records.sorted {
            ($0.value.byteRange.lowerBound, $0.value.byteRange.upperBound, $0.key)
                < ($1.value.byteRange.lowerBound, $1.value.byteRange.upperBound, $1.key)
        }
        var covered = 0
        var lastNonEmptyName = ""
        for (name, record) in ordered {
            if record.byteRange.lowerBound < covered {
                throw failure(.overlappingTensors(lastNonEmptyName, name))
            }
            if record.byteRange.lowerBound > covered {
                throw failure(.uncoveredBytes(begin: covered, end: record.byteRange.lowerBound))
            }
            covered = record.byteRange.upperBound
            if !record.byteRange.isEmpty { lastNonEmptyName = name }
        }
        if covered < dataByteCount {
            throw failure(.uncoveredBytes(begin: covered, end: dataByteCount))
        }
    }
}
