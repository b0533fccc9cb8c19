import Testing

@testable import Tensors

@Suite struct PrecisionTests {
    @Test func namesAndRequiredFeatures() {
        #expect(Precision.allCases.map(\.rawValue) == ["float32", "bf16", "int8"])
        #expect(Precision.float32.requiredFeatures == [])
        #expect(Precision.bf16.requiredFeatures == .avx512BF16)
        #expect(Precision.int8.requiredFeatures == .avx512VNNI)
        #expect(Precision.allCases.map(\.speedupOverFloat32) == [1, 2, 4])
    }
}
