extension Float {
    /// The value of IEEE 754 half-precision (binary16, safetensors `F16`, numpy `float16`) bits,
    /// exactly: every half is a float, so nothing rounds (normals, subnormals, ±0, ±∞; a NaN
    /// keeps its sign and payload).
    ///
    /// Written with bit operations rather than through `Float16`, which is missing on macOS on
    /// Intel; tested against `Float16` on all 65,536 bit patterns where it exists.
    public init(float16BitPattern bits: UInt16) {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24, exact in float32.
            let magnitude = Float(mantissa) * 0x1p-24
            self = sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity or NaN (payload kept).
            self.init(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            // Re-bias the exponent from 15 to 127.
            self.init(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// The value of bfloat16 bits (safetensors `BF16`): the upper half of a float32, so exact.
    public init(bfloat16BitPattern bits: UInt16) {
        self.init(bitPattern: UInt32(bits) << 16)
    }
}
