import Foundation
import Testing

@testable import Tensors

@Suite struct CPUFeaturesTests {
    /// cpuid agrees with the kernel's view of the CPU (Linux lists what the CPU has and the OS
    /// enables in /proc/cpuinfo).
    @Test func detectsWhatTheOperatingSystemReports() throws {
        #if os(Linux)
            let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            let flagsLine = try #require(
                text.split(separator: "\n").first { $0.hasPrefix("flags") })
            let flags = Set(flagsLine.split(separator: " ").map(String.init))
            let avx512 = ["avx512f", "avx512bw", "avx512vl"].allSatisfy(flags.contains)
            #expect(
                CPUFeatures.detected.contains(.avx512BF16)
                    == (avx512 && flags.contains("avx512_bf16")))
            #expect(
                CPUFeatures.detected.contains(.avx512VNNI)
                    == (avx512 && flags.contains("avx512_vnni")))
            #expect(CPUFeatures.detected.contains(.avx512F) == avx512)
            #expect(
                CPUFeatures.detected.contains(.avx2FMA)
                    == (flags.contains("avx2") && flags.contains("fma")))
        #endif
        #expect(CPUFeatures.detected.isSuperset(of: CPUFeatures.current))
    }

    @Test func supportsAPrecisionOnlyWithItsFeature() {
        for precision in Precision.allCases {
            // Without features everything runs in float32.
            #expect(CPUFeatures([]).supportedPrecision(precision) == .float32)
        }
        let all: CPUFeatures = [.avx512BF16, .avx512VNNI]
        #expect(all.supportedPrecision(.float32) == .float32)
        // A feature this CPU lacks is not used even when asked for.
        #expect(
            all.supportedPrecision(.bf16)
                == (CPUFeatures.detected.contains(.avx512BF16) ? .bf16 : .float32))
        #expect(
            CPUFeatures.avx512BF16.supportedPrecision(.int8) == .float32)
    }

    @Test func namesFeaturesAsTheEnvironmentVariableDoes() {
        #expect(CPUFeatures([]).description == "none")
        #expect(CPUFeatures([.avx512VNNI, .avx512BF16]).description == "avx512bf16,avx512vnni")
        #expect(CPUFeatures([.avx2FMA, .avx512F]).description == "avx512f,avx2fma")
    }
}
