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
        .library(name: "VisionEncoding", targets: ["VisionEncoding"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Metrics", targets: ["Metrics"]),
        .library(name: "Grounding", targets: ["Grounding"]),
        .library(name: "VideoDecoding", targets: ["VideoDecoding"]),
        .library(name: "Extraction", targets: ["Extraction"]),
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
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [
                .apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])
            ]),
        .target(name: "Tensors", dependencies: ["CBLAS"]),
        .target(name: "NeuralNet", dependencies: ["Tensors"]),
        .target(name: "TextEncoding", dependencies: ["Tensors", "NeuralNet"]),
        .target(name: "VisionEncoding", dependencies: ["Tensors", "NeuralNet"]),
        .target(
            name: "Datasets",
            dependencies: [
                "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .target(name: "Metrics", dependencies: ["Datasets"]),
        .target(
            name: "Grounding",
            dependencies: ["Tensors", "NeuralNet", "TextEncoding", "Datasets", "Metrics"]),
        .target(name: "VideoDecoding", dependencies: ["CFFmpeg"]),
        .target(
            name: "Extraction",
            dependencies: [
                "CFFmpeg", "VideoDecoding", "VisionEncoding", "NeuralNet", "Tensors", "Datasets",
            ]),
        .target(name: "TestSupport", dependencies: ["Tensors"]),
        .executableTarget(
            name: "vtg",
            dependencies: [
                "Tensors", "NeuralNet", "TextEncoding", "Datasets", "Metrics", "Grounding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "TensorsTests", dependencies: ["Tensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"]),
        .testTarget(
            name: "TextEncodingTests",
            dependencies: ["TextEncoding", "NeuralNet", "Tensors", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "VisionEncodingTests",
            dependencies: [
                "VisionEncoding", "NeuralNet", "Tensors", "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"], exclude: ["Fixtures"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Datasets"]),
        .testTarget(
            name: "GroundingTests", dependencies: ["Grounding", "TestSupport"]),
        .testTarget(name: "VideoDecodingTests", dependencies: ["VideoDecoding", "TestSupport"]),
        .testTarget(
            name: "ExtractionTests",
            dependencies: [
                "Extraction", "VideoDecoding", "VisionEncoding", "Datasets", "Tensors", "TestSupport",
            ]),
    ]
)
