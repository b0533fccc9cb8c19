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
        .library(name: "TextEncoding", targets: ["TextEncoding"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .executable(name: "vtg", targets: ["vtg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Tensors", dependencies: ["CBLAS"]),
        .target(name: "TextEncoding", dependencies: ["Tensors", "NeuralNet"]),
        .target(name: "NeuralNet", dependencies: ["Tensors"]),
        .target(name: "TestSupport", dependencies: ["Tensors"]),
        .executableTarget(
            name: "vtg",
            dependencies: [
                "Tensors", "TextEncoding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "TensorsTests", dependencies: ["Tensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TextEncodingTests",
            dependencies: ["TextEncoding", "NeuralNet", "Tensors", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"]),
    ]
)
