import Foundation
import TestSupport
import Testing

@testable import Datasets

private func decodeFixture(_ name: String) throws -> ClipFeatures {
    let data = try Data(contentsOf: TestData.fixtures.appendingPathComponent("npy/\(name).npy"))
    return try NumpyArray.decode(data)
}

@Test(arguments: ["float32", "float16", "float64", "fortran", "version2", "version3", "bigendian"])
func npyVariantsDecodeToTheSamePattern(name: String) throws {
    #expect(try decodeFixture(name) == fixturePattern(clips: 5, dimensions: 4))
}

@Test(arguments: [
    ("truncated", "truncated"), ("threedimensional", "not 2-D"), ("integer", "unsupported dtype"),
    ("notnumpy", "magic"),
])
func npyProblemsAreExplained(name: String, reasonFragment: String) throws {
    do {
        _ = try decodeFixture(name)
        Issue.record("\(name) should not decode")
    } catch let error as NumpyArray.FormatError {
        #expect(error.reason.contains(reasonFragment), "\(error.reason)")
    }
}

@Test func npyEncodingRoundTripsAndAlignsTheData() throws {
    let features = fixturePattern(clips: 3, dimensions: 7)
    let data = NumpyArray.encode(features)
    #expect((data.count - 3 * 7 * 4) % 64 == 0)
    #expect(try NumpyArray.decode(data) == features)
    // numpy writes the same bytes for the same array (np.save of a float32 C-order array).
    #expect(
        try Data(contentsOf: TestData.fixtures.appendingPathComponent("npy/float32.npy"))
            == NumpyArray.encode(fixturePattern(clips: 5, dimensions: 4)))
}

@Test func halfPrecisionSpecialValuesInEitherByteOrder() throws {
    // 1, −2, the smallest subnormal, +∞ and −0 as float16, in a hand-made version 1.0 file.
    let halves: [UInt16] = [0x3C00, 0xC000, 0x0001, 0x7C00, 0x8000]
    for (descriptor, bigEndian) in [("<f2", false), (">f2", true)] {
        var header = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': (1, 5), }"
        header +=
            String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for half in halves {
            withUnsafeBytes(of: bigEndian ? half.bigEndian : half.littleEndian) { bytes += $0 }
        }
        let values = try NumpyArray.decode(Data(bytes)).values
        #expect(values == [1, -2, 0x1p-24, .infinity, 0], "\(descriptor)")
        #expect(values[4].sign == .minus, "\(descriptor)")
    }
}

/// A version 1.0 `.npy` file with `shape` written verbatim into the header and `dataBytes`
/// zero bytes of float32 data.
private func handMadeNumpy(shape: String, dataBytes: Int = 0) -> Data {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
    header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
    bytes += Array(header.utf8)
    bytes += [UInt8](repeating: 0, count: dataBytes)
    return Data(bytes)
}

@Test(arguments: [
    ("(-35, 256)", "not a non-negative integer"), ("(4611686018427387904, 4)", "Int.max"),
    ("(9223372036854775807, 2)", "Int.max"), ("(99999999999999999999, 2)", "not a non-negative"),
    ("(5, x, 4)", "\"x\""), ("(5, 4, garbage)", "\"garbage\""), ("(5 4)", "\"5 4\""),
    ("(5,, 4)", "\"\""), ("(5, 4.0)", "\"4.0\""), ("5, 4", "not a tuple"), ("(5,)", "not 2-D"),
])
func npyHostileShapesAreErrorsNotTraps(shape: String, reasonFragment: String) {
    do {
        _ = try NumpyArray.decode(handMadeNumpy(shape: shape, dataBytes: 80))
        Issue.record("shape \(shape) should not decode")
    } catch {
        #expect(error.reason.contains(reasonFragment), "\(error.reason)")
    }
}

@Test func npyTrailingCommaInTheShapeTupleIsPython() throws {
    let features = try NumpyArray.decode(handMadeNumpy(shape: "(5, 4,)", dataBytes: 80))
    #expect(features.clipCount == 5 && features.featureDimension == 4)
}
