import Foundation
import VTGCore

/// A 2-D floating-point array in numpy's `.npy` format (versions 1.0, 2.0 and 3.0), as
/// `np.save` writes it: magic `\x93NUMPY`, version, header length, a Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (T, D), }`, then the raw data.
///
/// Reads float16, float32 and float64 in either byte order, C or Fortran order, into row-major
/// Float32. Writes float32, C order, version 1.0.
enum NumpyArray {
    /// Why bytes are not a readable `.npy` array.
    struct FormatError: Error {
        var reason: String
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Decodes a `.npy` file's bytes into `[rows, columns]` features.
    static func decode(_ data: Data) throws(FormatError) -> ClipFeatures {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw FormatError(reason: "not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw FormatError(reason: "truncated header") }
            headerLength =
                Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw FormatError(reason: "unsupported .npy format version \(major)")
        }
        let dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else { throw FormatError(reason: "truncated header") }
        // Version 3 headers are UTF-8; 1 and 2 are Latin-1, whose ASCII subset is all numpy writes.
        let header = String(decoding: bytes[headerStart..<dataStart], as: UTF8.self)
        let descriptor = try headerValue("descr", in: header)
        let fortranOrder = try headerValue("fortran_order", in: header)
        let shapeText = try headerValue("shape", in: header)

        let descriptorText = descriptor.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard descriptorText.count == 3, let kind = descriptorText.dropFirst().first,
            let size = Int(String(descriptorText.suffix(1)))
        else { throw FormatError(reason: "unsupported dtype \(descriptor)") }
        let byteOrder = descriptorText.first
        guard kind == "f", [2, 4, 8].contains(size), byteOrder != nil else {
            throw FormatError(
                reason: "unsupported dtype \(descriptor); features must be float16/32/64")
        }
        let bigEndian = byteOrder == ">"

        let (rows, columns) = try matrixShape(shapeText)
        // Checked arithmetic: a hostile shape such as (2**62, 4) must not overflow or allocate.
        let (count, countOverflow) = rows.multipliedReportingOverflow(by: columns)
        let (expectedBytes, bytesOverflow) = count.multipliedReportingOverflow(by: size)
        guard !countOverflow, !bytesOverflow, bytes.count - dataStart >= expectedBytes else {
            throw FormatError(
                reason: "truncated: shape \(shapeText) needs "
                    + (countOverflow || bytesOverflow ? "more than Int.max" : "\(expectedBytes)")
                    + " data bytes, file has \(bytes.count - dataStart)")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                let offset = dataStart + index * size
                switch size {
                case 2:
                    var bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
                    if bigEndian { bits = bits.byteSwapped }
                    values[index] = Float(float16BitPattern: bits)
                case 4:
                    var bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                    if bigEndian { bits = bits.byteSwapped }
                    values[index] = Float(bitPattern: bits)
                default:
                    var bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    if bigEndian { bits = bits.byteSwapped }
                    values[index] = Float(Double(bitPattern: bits))
                }
            }
        }
        if fortranOrder.hasPrefix("True") {
            // Column-major on disk: element (row, column) sits at column·rows + row.
            var rowMajor = [Float](repeating: 0, count: count)
            for row in 0..<rows {
                for column in 0..<columns {
                    rowMajor[row * columns + column] = values[column * rows + row]
                }
            }
            values = rowMajor
        }
        return ClipFeatures(values: values, clipCount: rows, featureDimension: columns)
    }

    /// Encodes features as a version 1.0, little-endian float32, C-order `.npy` file.
    static func encode(_ features: ClipFeatures) -> Data {
        var header =
            "{'descr': '<f4', 'fortran_order': False, "
            + "'shape': (\(features.clipCount), \(features.featureDimension)), }"
        // numpy pads the header with spaces so the data starts at a multiple of 64 bytes.
        let unpadded = magic.count + 4 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data(magic)
        data.append(contentsOf: [
            1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8),
        ])
        data.append(contentsOf: Array(header.utf8))
        features.values.withUnsafeBufferPointer { buffer in
            for value in buffer {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// The `(rows, columns)` of a header's shape tuple such as `(64, 1024)`: exactly two
    /// non-negative decimal integers; anything else in the tuple is an error, not skipped.
    private static func matrixShape(_ text: String) throws(FormatError) -> (Int, Int) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("("), trimmed.hasSuffix(")") else {
            throw FormatError(reason: "shape \(text) is not a tuple")
        }
        var parts = trimmed.dropFirst().dropLast().split(
            separator: ",", omittingEmptySubsequences: false
        ).map { $0.trimmingCharacters(in: .whitespaces) }
        // A Python tuple may end with a comma: `(5,)`, `(5, 4,)`.
        if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        var dimensions: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(part)
            else {
                throw FormatError(
                    reason: "shape \(text) holds \"\(part)\", not a non-negative integer")
            }
            dimensions.append(value)
        }
        guard dimensions.count == 2 else {
            throw FormatError(reason: "shape \(text) is not 2-D [clips, featureDimension]")
        }
        return (dimensions[0], dimensions[1])
    }

    /// The text of `key`'s value in a numpy header dict, up to the next top-level comma.
    private static func headerValue(_ key: String, in header: String) throws(FormatError) -> String
    {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\""),
            let colon = header[keyRange.upperBound...].firstIndex(of: ":")
        else { throw FormatError(reason: "header has no '\(key)': \(header)") }
        var depth = 0
        var end = header.index(after: colon)
        while end < header.endIndex {
            let character = header[end]
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if (character == "," && depth == 0) || character == "}" { break }
            end = header.index(after: end)
        }
        return header[header.index(after: colon)..<end].trimmingCharacters(in: .whitespaces)
    }
}
