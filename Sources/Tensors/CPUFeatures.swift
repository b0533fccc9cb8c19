import CKernels
import Foundation

/// The CPU instructions the reduced-precision kernels use, as this machine offers them.
///
/// `Precision.bf16` needs `.avx512BF16` and `Precision.int8` needs `.avx512VNNI`; where a
/// feature is missing, layers converted to that precision keep computing in float32.
public struct CPUFeatures: OptionSet, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// Creates a set from its bits (`PROMPTVTG_FEATURE_*`).
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// AVX-512 F/BW/VL with BF16 dot products (`vdpbf16ps`), the zmm state saved by the OS.
    public static let avx512BF16 = CPUFeatures(rawValue: PROMPTVTG_FEATURE_AVX512_BF16)
    /// AVX-512 F/BW/VL with VNNI int8 dot products (`vpdpbusd`), the zmm state saved by the OS.
    public static let avx512VNNI = CPUFeatures(rawValue: PROMPTVTG_FEATURE_AVX512_VNNI)
    /// AVX-512 F/BW/VL (16-lane float32 FMA), the zmm state saved by the OS: the few-row float32
    /// kernel's wide form (see `PackedLinearWeights`).
    public static let avx512F = CPUFeatures(rawValue: PROMPTVTG_FEATURE_AVX512_F)
    /// AVX2 with FMA (8-lane float32 FMA), the ymm state saved by the OS: the few-row float32
    /// kernel where AVX-512 is missing.
    public static let avx2FMA = CPUFeatures(rawValue: PROMPTVTG_FEATURE_AVX2_FMA)

    /// What `cpuid` and `xgetbv` report on this machine.
    public static let detected = CPUFeatures(rawValue: promptvtg_cpu_features())

    /// The features the kernels may use: `detected`, narrowed by the environment variable
    /// `VTG_CPU_FEATURES` when set — `none`, or a comma-separated list of `avx512bf16`,
    /// `avx512vnni`, `avx512f` and `avx2fma` — so that the fallbacks (float32, and OpenBLAS for
    /// few-row float32 products) can be run on a machine that has them.
    /// Unknown names are reported on standard error and ignored.
    public static let current: CPUFeatures = {
        guard let text = ProcessInfo.processInfo.environment["VTG_CPU_FEATURES"] else {
            return detected
        }
        var allowed: CPUFeatures = []
        for name in text.lowercased().split(separator: ",") {
            switch name.trimmingCharacters(in: .whitespaces) {
            case "none", "": continue
            case "avx512bf16": allowed.insert(.avx512BF16)
            case "avx512vnni": allowed.insert(.avx512VNNI)
            case "avx512f": allowed.insert(.avx512F)
            case "avx2fma": allowed.insert(.avx2FMA)
            default:
                FileHandle.standardError.write(
                    Data(
                        ("VTG_CPU_FEATURES: unknown feature \"\(name)\" ignored; use none or a"
                            + " comma-separated list of avx512bf16, avx512vnni, avx512f,"
                            + " avx2fma\n").utf8))
            }
        }
        return detected.intersection(allowed)
    }()

    /// The precision products requested at `precision` run at with these features: `precision`
    /// when its kernel can run (the features, and this CPU, have what it needs), float32
    /// otherwise.
    public func supportedPrecision(_ precision: Precision) -> Precision {
        intersection(.detected).isSuperset(of: precision.requiredFeatures) ? precision : .float32
    }

    /// The feature names, as `VTG_CPU_FEATURES` spells them (`none` for the empty set).
    public var description: String {
        var names: [String] = []
        if contains(.avx512BF16) { names.append("avx512bf16") }
        if contains(.avx512VNNI) { names.append("avx512vnni") }
        if contains(.avx512F) { names.append("avx512f") }
        if contains(.avx2FMA) { names.append("avx2fma") }
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }
}
