/// An error reading or writing a safetensors file: the file's path and what is wrong with it.
///
/// `description` is the message for the user: the path, the problem with expected and actual
/// values, and what to do about it.
public struct SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The path of the file read or written.
    public let path: String
    /// What is wrong.
    public let problem: Problem

    /// Creates an error about the file at `path`.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// The ways a safetensors file can be unreadable, corrupt, or not writable.
    public enum Problem: Equatable, Sendable {
        /// The file could not be opened or read (`reason` is the system's message).
        case cannotRead(reason: String)
        /// The file is shorter than the 8-byte little-endian header length that starts it.
        case truncatedFile(byteCount: Int)
        /// The header length points past the end of the file.
        case headerLengthPastEnd(headerLength: UInt64, bytesAfterLengthField: Int)
        /// The header is not valid JSON (`byteOffset` counts from the start of the header).
        case invalidHeaderJSON(byteOffset: Int, reason: String)
        /// The header is valid JSON but not a valid safetensors header; `key` names the member.
        case invalidHeader(key: String, reason: String)
        /// Two tensors (or two `__metadata__` members) have the same name.
        case duplicateTensorName(String)
        /// A tensor's `dtype` is not one of the safetensors data types.
        case unknownDataType(tensor: String, dataType: String)
        /// A tensor's byte size (shape × data type size) differs from its `data_offsets` span.
        case shapeSizeMismatch(
            tensor: String, shape: [Int], dataType: SafetensorsDataType, expectedByteCount: Int,
            actualByteCount: Int)
        /// A tensor's `data_offsets` end past the data section.
        case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataByteCount: Int)
        /// Two tensors' byte ranges overlap.
        case overlappingTensors(String, String)
        /// Bytes of the data section belong to no tensor (a gap or trailing bytes).
        case uncoveredBytes(begin: Int, end: Int)
        /// No tensor of that name is in the file.
        case tensorNotFound(name: String, availableCount: Int)
        /// The tensor's data type cannot be converted to `Float` by this reader.
        case unsupportedDataType(tensor: String, dataType: SafetensorsDataType)
        /// An entry given to the writer is invalid (a duplicate or reserved name).
        case invalidEntry(name: String, reason: String)
        /// Writing, syncing or renaming into place failed (`reason` is the system's message).
        case cannotWrite(reason: String)
    }

    /// The message for the user: the path, what is wrong, and what to do.
    public var description: String {
        let corrupt = "the file is corrupt or not a safetensors file: re-export or re-download it"
        switch problem {
        case .cannotRead(let reason):
            return "\(path): cannot read the file (\(reason)); check that the path is right"
                + " and readable"
        case .truncatedFile(let byteCount):
            return "\(path): the file has \(byteCount) bytes, fewer than the 8-byte header length"
                + " that starts a safetensors file; \(corrupt)"
        case .headerLengthPastEnd(let headerLength, let available):
            return "\(path): the header length is \(headerLength) bytes but only \(available)"
                + " bytes follow it (truncated download?); \(corrupt)"
        case .invalidHeaderJSON(let byteOffset, let reason):
            return "\(path): the header is not valid JSON at byte \(byteOffset) of the header"
                + " (\(reason)); \(corrupt)"
        case .invalidHeader(let key, let reason):
            return "\(path): header key '\(key)': \(reason); \(corrupt)"
        case .duplicateTensorName(let name):
            return "\(path): the header names '\(name)' twice; \(corrupt)"
        case .unknownDataType(let tensor, let dataType):
            let known = SafetensorsDataType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(path): tensor '\(tensor)' has dtype '\(dataType)', expected one of"
                + " \(known); \(corrupt)"
        case .shapeSizeMismatch(let tensor, let shape, let dataType, let expected, let actual):
            return "\(path): tensor '\(tensor)' of shape \(shape) and dtype \(dataType.rawValue)"
                + " needs \(expected) bytes but its data_offsets span \(actual); \(corrupt)"
        case .offsetsOutOfRange(let tensor, let begin, let end, let dataByteCount):
            return "\(path): tensor '\(tensor)' has data_offsets [\(begin), \(end)] but the data"
                + " section has \(dataByteCount) bytes (truncated file?); \(corrupt)"
        case .overlappingTensors(let first, let second):
            return "\(path): the bytes of tensors '\(first)' and '\(second)' overlap; \(corrupt)"
        case .uncoveredBytes(let begin, let end):
            return "\(path): bytes \(begin)..<\(end) of the data section belong to no tensor;"
                + " \(corrupt)"
        case .tensorNotFound(let name, let availableCount):
            return "\(path): no tensor named '\(name)' among the \(availableCount) in the file;"
                + " check the name (tensorNames lists them) or the checkpoint"
        case .unsupportedDataType(let tensor, let dataType):
            return "\(path): tensor '\(tensor)' has dtype \(dataType.rawValue), which cannot be"
                + " read as Float (every type but the 8-bit floats can); convert the checkpoint"
                + " to F32"
        case .invalidEntry(let name, let reason):
            return "\(path): cannot write tensor '\(name)': \(reason); the file was not written"
        case .cannotWrite(let reason):
            return "\(path): writing failed (\(reason)); the previous file, if any, is unchanged."
                + " Check the folder exists, is writable and has free space"
        }
    }
}
