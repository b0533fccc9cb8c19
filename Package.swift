// swift-tools-version:6.0
import PackageDescription

// CPU-specific code generation (`-target-cpu haswell`, which the SIMD kernels need for FMA) is
// passed by the Makefile with `-Xswiftc`, not here, so that these libraries stay usable as a
// dependency of other packages.
let package = Package(
    name: "PromptVTG",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "TextEncoding", targets: ["TextEncoding"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Metrics", targets: ["Metrics"]),
        .library(name: "Grounding", targets: ["Grounding"]),
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
        // bf16 and int8 products for inference; each AVX-512 function carries its own target
        // attribute, so the target builds for any x86-64 and the CPU is checked at run time.
        .target(name: "CKernels"),
        .target(name: "Tensors", dependencies: ["CBLAS", "CKernels"]),
        .target(name: "NeuralNet", dependencies: ["Tensors"]),
        .target(name: "TextEncoding", dependencies: ["Tensors", "NeuralNet"]),
        .target(
            name: "Datasets",
            dependencies: [
                "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .target(name: "Metrics", dependencies: ["Datasets"]),
        .target(
            name: "Grounding",
            dependencies: ["Tensors", "NeuralNet", "TextEncoding", "Datasets", "Metrics"]),
        .target(name: "TestSupport", dependencies: ["Tensors"]),
        .executableTarget(
            name: "vtg",
            dependencies: [
                "Tensors", "NeuralNet", "TextEncoding", "Datasets", "Metrics", "Grounding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "TensorsTests", dependencies: ["Tensors", "CKernels", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "CKernelsTests", dependencies: ["CKernels", "Tensors"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"]),
        .testTarget(
            name: "TextEncodingTests",
            dependencies: ["TextEncoding", "NeuralNet", "Tensors", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"], exclude: ["Fixtures"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Datasets"]),
        .testTarget(
            name: "GroundingTests", dependencies: ["Grounding", "TestSupport"]),
    ]
)
