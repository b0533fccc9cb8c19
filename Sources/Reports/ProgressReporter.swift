import Foundation
import Grounding
import VTGCore

/// Shows the progress of long work on standard error: a bar with rate and ETA redrawn in place
/// on a terminal, plain periodic lines otherwise (logs, CI).
public final class ProgressReporter: Grounding.ProgressReporting, @unchecked Sendable {
    private let isTerminal: Bool
    private let quiet: Bool
    private var lastDraw: Double = 0
    private var startTime: Double = 0
    private var total = 0
    private var label = ""
    private let plainInterval: Double

    /// A reporter; `quiet` silences progress (final messages still print).
    public init(quiet: Bool = false, plainLineIntervalSeconds: Double = 10) {
        isTerminal = isatty(STDERR_FILENO) != 0
        self.quiet = quiet
        plainInterval = plainLineIntervalSeconds
    }

    private static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Starts a task of `total` steps.
    public func begin(_ label: String, total: Int) {
        self.label = label
        self.total = total
        startTime = Self.now()
        lastDraw = 0
    }

    /// Reports that `done` of the steps are complete, with a short status (e.g. the loss) and
    /// the number of items per step (samples per batch) for the rate.
    public func update(done: Int, status: String = "", itemsDone: Int? = nil) {
        guard !quiet else { return }
        let now = Self.now()
        let elapsed = now - startTime
        let interval = isTerminal ? 0.1 : plainInterval
        guard now - lastDraw >= interval || done == total else { return }
        lastDraw = now
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let rate = elapsed > 0 ? Double(itemsDone ?? done) / elapsed : 0
        let remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let rateText = String(format: "%.1f/s", rate)
        let eta = Self.duration(remaining)
        if isTerminal {
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled)
                + String(repeating: "·", count: width - filled)
            let line = "\r\(label) \(bar) \(done)/\(total) \(status) \(rateText) ETA \(eta)  "
            FileHandle.standardError.write(Data(line.utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            message("\(label): \(done)/\(total) \(status) \(rateText) ETA \(eta)")
        }
    }

    /// Prints an event on standard error, as `RunEventText` words it.
    public func report(_ event: RunEvent) {
        message(RunEventText.text(of: event))
    }

    /// Prints one line on standard error.
    public func message(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// "1 m 05 s" style.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return String(format: "%d h %02d m", whole / 3600, whole % 3600 / 60) }
        if whole >= 60 { return String(format: "%d m %02d s", whole / 60, whole % 60) }
        return "\(whole) s"
    }
}
