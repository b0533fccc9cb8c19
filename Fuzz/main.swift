import Foundation

// SwiftPM links an executable's own entry point as `main`, so libFuzzer's `main` is not used:
// this one hands the command line to libFuzzer's driver instead (same flags and behaviour).

/// libFuzzer's driver (`int LLVMFuzzerRunDriver(int *argc, char ***argv, callback)`).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argumentCount: UnsafeMutablePointer<Int32>,
    _ arguments: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argumentCount = CommandLine.argc
var arguments = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argumentCount, &arguments, fuzzOneInput))
