import Testing
import VTGCore

@Suite struct HalfPrecisionTests {
    @Test func knownValues() {
        #expect(Float(float16BitPattern: 0x3C00) == 1)
        #expect(Float(float16BitPattern: 0xC100) == -2.5)
        #expect(Float(float16BitPattern: 0x7BFF) == 65504)  // the largest half
        #expect(Float(float16BitPattern: 0x0001) == 0x1p-24)  // the smallest subnormal
        #expect(Float(float16BitPattern: 0x0400) == 0x1p-14)  // the smallest normal
        #expect(Float(float16BitPattern: 0x8000).sign == .minus)
        #expect(Float(float16BitPattern: 0x8000) == 0)
        #expect(Float(float16BitPattern: 0x7C00) == .infinity)
        #expect(Float(float16BitPattern: 0xFC00) == -.infinity)
        #expect(Float(float16BitPattern: 0x7E00).isNaN)
    }

    @Test func keepsTheSignAndPayloadOfNaN() {
        // 0xFE01: negative, quiet, payload 0x201 → float 0xFFC0_2000.
        #expect(Float(float16BitPattern: 0xFE01).bitPattern == 0xFFC0_2000)
    }

    @Test func everyBitPatternMatchesFloat16() {
        #if arch(x86_64) && os(Linux) || arch(arm64)
            for bits in UInt16.min...UInt16.max {
                let converted = Float(float16BitPattern: bits)
                let reference = Float(Float16(bitPattern: bits))
                if reference.isNaN {
                    // The hardware conversion (F16C, which `-target-cpu haswell` enables) sets
                    // the quiet bit of a signalling NaN, the software one keeps it: compare
                    // with the quiet bit set on both sides, everything else exactly.
                    let quiet: UInt32 = 0x0040_0000
                    #expect(converted.isNaN)
                    #expect(converted.bitPattern | quiet == reference.bitPattern | quiet)
                } else {
                    #expect(converted.bitPattern == reference.bitPattern)
                }
            }
        #else
            for bits in UInt16.min...UInt16.max {
                let exponent = bits & 0x7C00
                let isNaN = exponent == 0x7C00 && bits & 0x03FF != 0
                #expect(Float(float16BitPattern: bits).isNaN == isNaN)
            }
        #endif
    }

    @Test func brainFloatIsTheUpperHalfOfAFloat() {
        #expect(Float(bfloat16BitPattern: 0x3FC0) == 1.5)
        #expect(Float(bfloat16BitPattern: 0xBF00) == -0.5)
        #expect(Float(bfloat16BitPattern: 0xC049) == -3.140625)
        for bits in stride(from: UInt32(0), through: 0xFFFF, by: 1) {
            let value = Float(bfloat16BitPattern: UInt16(bits))
            #expect(value.bitPattern == bits << 16)
        }
    }
}
