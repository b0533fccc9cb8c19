/// The number format of a layer's inference products: its weights, its activations as they
/// enter a product, and the product's sums. Everything outside the products (layer norm,
/// softmax, GELU, residual sums, attention) stays float32 at every precision.
///
/// Accuracy measured on all-MiniLM-L6-v2 (sentence-embedding cosine to float32 over
/// `shared/golden/minilm_golden.json`): see `MiniLMEncoderPrecisionTests`.
public enum Precision: String, CaseIterable, Sendable, Codable {
    /// float32 weights and activations, float32 sums (OpenBLAS): the reference, and the
    /// fallback wherever the CPU lacks a reduced-precision kernel.
    case float32
    /// bf16 weights (rounded once), activations rounded to bf16 per product, exact products and
    /// float32 sums: twice float32's multiply-adds per instruction (AVX-512 BF16).
    case bf16
    /// int8 weights with one symmetric scale per output channel, activations quantised per row
    /// and per product (dynamic, symmetric), exact int32 sums, dequantised to float32: four times
    /// float32's multiply-adds per instruction (AVX-512 VNNI).
    case int8

    /// The CPU features the kernel of this precision needs (none for float32).
    public var requiredFeatures: CPUFeatures {
        switch self {
        case .float32: return []
        case .bf16: return .avx512BF16
        case .int8: return .avx512VNNI
        }
    }

    /// Multiply-adds per instruction relative to float32 (the factor by which a product's
    /// worth-splitting size grows).
    var speedupOverFloat32: Int {
        switch self {
        case .float32: return 1
        case .bf16: return 2
        case .int8: return 4
        }
    }
}
