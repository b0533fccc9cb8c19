// swift-tools-version:6.0
import Foundation
import PackageDescription

// CPU-specific code generation (`-target-cpu haswell`, which the SIMD kernels need for FMA) is
// passed by the Makefile with `-Xswiftc`, not here, so that these libraries stay usable as a
// dependency of other packages.
let package = Package(
    name: "PromptVTG",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "VTGCore", targets: ["VTGCore"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "TextEncoding", targets: ["TextEncoding"]),
        .library(name: "VisionEncoding", targets: ["VisionEncoding"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Metrics", targets: ["Metrics"]),
        .library(name: "Grounding", targets: ["Grounding"]),
        .library(name: "VideoDecoding", targets: ["VideoDecoding"]),
        .library(name: "Extraction", targets: ["Extraction"]),
        .library(name: "Reports", targets: ["Reports"]),
        .executable(name: "vtg", targets: ["vtg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CGzip", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [
                .apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])
            ]),
        // Value types, the seeded generator, half floats, JSON and text lines: below everything.
        .target(name: "VTGCore"),
        // bf16 and int8 products for inference; each AVX-512 function carries its own target
        // attribute, so the target builds for any x86-64 and the CPU is checked at run time.
        .target(name: "CKernels"),
        .target(name: "Tensors", dependencies: ["VTGCore", "CBLAS", "CKernels"]),
        .target(name: "NeuralNet", dependencies: ["VTGCore", "Tensors"]),
        .target(
            name: "TextEncoding", dependencies: ["VTGCore", "Tensors", "NeuralNet", "CGzip"]),
        .target(name: "VisionEncoding", dependencies: ["VTGCore", "Tensors", "NeuralNet"]),
        .target(
            name: "Datasets",
            dependencies: [
                "VTGCore", "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .target(name: "Metrics", dependencies: ["VTGCore"]),
        .target(
            name: "Grounding",
            dependencies: [
                "VTGCore", "Tensors", "NeuralNet", "TextEncoding", "Datasets", "Metrics",
                "Extraction",
            ]),
        .target(name: "VideoDecoding", dependencies: ["CFFmpeg"]),
        .target(
            name: "Extraction",
            dependencies: [
                "VTGCore", "CFFmpeg", "VideoDecoding", "VisionEncoding", "NeuralNet", "Tensors",
                "Datasets",
            ]),
        .target(
            name: "Reports",
            dependencies: ["VTGCore", "Grounding", "Extraction", "Metrics", "Datasets"]),
        .target(name: "TestSupport", dependencies: ["VTGCore", "Tensors"]),
        .executableTarget(
            name: "vtg",
            dependencies: [
                "VTGCore", "Tensors", "NeuralNet", "TextEncoding", "Datasets", "Metrics",
                "Grounding", "Reports", "Extraction",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "VTGCoreTests", dependencies: ["VTGCore"]),
        .testTarget(
            name: "TensorsTests", dependencies: ["Tensors", "VTGCore", "CKernels", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "CKernelsTests", dependencies: ["CKernels", "Tensors", "VTGCore"]),
        .testTarget(
            name: "NeuralNetTests",
            dependencies: ["NeuralNet", "Tensors", "VTGCore", "TestSupport"]),
        .testTarget(
            name: "TextEncodingTests",
            dependencies: ["TextEncoding", "NeuralNet", "Tensors", "VTGCore", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "VisionEncodingTests",
            dependencies: [
                "VisionEncoding", "NeuralNet", "Tensors", "VTGCore", "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "DatasetsTests", dependencies: ["Datasets", "VTGCore", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "MetricsTests", dependencies: ["Metrics", "Datasets", "VTGCore", "TestSupport"]),
        .testTarget(
            name: "GroundingTests", dependencies: ["Grounding", "VTGCore", "TestSupport"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Grounding", "Extraction", "Metrics", "Datasets", "VTGCore",
                "TestSupport",
            ]),
        .testTarget(
            name: "vtgTests",
            dependencies: [
                "vtg", "Grounding", "Reports", "Datasets", "Metrics", "VTGCore", "Extraction",
                "TestSupport",
            ]),
        .testTarget(name: "VideoDecodingTests", dependencies: ["VideoDecoding", "TestSupport"]),
        .testTarget(
            name: "ExtractionTests",
            dependencies: [
                "Extraction", "VideoDecoding", "VisionEncoding", "Datasets", "Tensors", "VTGCore",
                "TestSupport",
            ]),
    ]
)

// The libFuzzer harness (Fuzz/), only when `make fuzz` asks for it (VTG_FUZZ=1, which builds it
// with -sanitize=fuzzer,address into .build-fuzz).
if ProcessInfo.processInfo.environment["VTG_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "vtg-fuzz",
            dependencies: ["VTGCore", "Tensors", "TextEncoding", "Datasets", "Metrics"],
            path: "Fuzz"))
}
