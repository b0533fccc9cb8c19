import Foundation
import FuzzTargets

// The libFuzzer harness: `VTG_FUZZ_TARGET` picks the parser (see `FuzzTarget`). Built only by
// `make fuzz` (`VTG_FUZZ=1`, with `-sanitize=fuzzer,address`). With `VTG_FUZZ_WRITE_CORPUS=DIR`
// it writes the target's seed corpus into DIR and exits instead (Scripts/fuzz.sh does this first).

/// The parser chosen by `VTG_FUZZ_TARGET`.
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["VTG_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("set VTG_FUZZ_TARGET to one of \(names)\n".utf8))
        exit(2)
    }
    if let missing = target.missingResource {
        FileHandle.standardError.write(Data("vtg-fuzz: \(name) needs \(missing)\n".utf8))
        exit(2)
    }
    return target
}()

/// libFuzzer's entry point: one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    selectedTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Writes the selected target's seeds into `folder`, one file per seed.
func writeCorpus(to folder: URL) throws {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    let shared = root.deletingLastPathComponent().appendingPathComponent("shared/data")
    let corpus = FuzzSeedCorpus(repositoryRoot: root, sharedData: shared)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for seed in corpus.seeds(for: selectedTarget) {
        try Data(seed.bytes).write(to: folder.appendingPathComponent(seed.name))
    }
}

// SwiftPM links an executable's own entry point as `main`, so libFuzzer's `main` is not used:
// this one hands the command line to libFuzzer's driver instead (same flags and behaviour).

/// libFuzzer's driver (`int LLVMFuzzerRunDriver(int *argc, char ***argv, callback)`).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argumentCount: UnsafeMutablePointer<Int32>,
    _ arguments: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

if let folder = ProcessInfo.processInfo.environment["VTG_FUZZ_WRITE_CORPUS"] {
    do {
        try writeCorpus(to: URL(fileURLWithPath: folder, isDirectory: true))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("vtg-fuzz: cannot write the corpus: \(error)\n".utf8))
        exit(1)
    }
}
var argumentCount = CommandLine.argc
var arguments = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argumentCount, &arguments, fuzzOneInput))
