import Foundation

/// A test hook for crash-consistency tests: with `VTG_FAULT_AT=N` in the environment, the
/// process exits at once with status 137 (what a `kill -9` gives) when it reaches its N-th
/// durable write step: each fsync and rename of `AtomicFileWriter`, and each write, fsync and
/// truncation of a run's training log. A test runs a training in a child process once per N,
/// resumes it, and checks the files against an uninterrupted run. Inert when unset (one
/// optional check per write step).
public enum WriteFaultInjection {
    /// Write steps left before the exit; nil when the variable is unset (or not a number).
    nonisolated(unsafe) private static var remaining: Int? = ProcessInfo.processInfo
        .environment["VTG_FAULT_AT"].flatMap { Int($0) }

    /// Marks a durable write step about to happen; exits with 137 when it is the chosen one.
    public static func reachWriteStep() {
        guard let steps = remaining else { return }
        remaining = steps - 1
        if steps == 1 { _exit(137) }
    }
}
