import Foundation
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

@Test func halfPrecisionSpecialValues() {
    #expect(NumpyArray.floatFromHalf(0x3C00) == 1)
    #expect(NumpyArray.floatFromHalf(0xC000) == -2)
    #expect(NumpyArray.floatFromHalf(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
    #expect(NumpyArray.floatFromHalf(0x7C00) == .infinity)
    #expect(NumpyArray.floatFromHalf(0x7E00).isNaN)
    #expect(NumpyArray.floatFromHalf(0x8000).sign == .minus)
}
