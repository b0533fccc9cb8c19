import Foundation

/// CPU time used by the whole machine and by this process (Linux `/proc`), to tell a disturbed
/// measurement from a slow one.
public enum CPUAccounting {
    /// One reading of the clocks.
    public struct Sample: Sendable {
        /// Busy (non-idle) CPU seconds of all cores since boot.
        public let machineBusySeconds: Double
        /// CPU seconds of this process (user + system).
        public let processSeconds: Double
        /// A monotonic wall clock, in seconds.
        public let wallSeconds: Double
    }

    /// The clocks now (nil where `/proc/stat` is not there).
    public static func sample() -> Sample? {
        #if os(Linux)
            guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
                let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
            else { return nil }
            // user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
            let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            guard fields.count >= 5 else { return nil }
            let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
            let busy = (fields.reduce(0, +) - fields[3] - fields[4]) / ticksPerSecond
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let process =
                Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
            let wall = Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
            return Sample(machineBusySeconds: busy, processSeconds: process, wallSeconds: wall)
        #else
            return nil
        #endif
    }

    /// The CPU cores other processes used on average since `before` (busy time of the machine
    /// less this process's, over the wall time); nil without a reading or elapsed time.
    public static func otherProcessesCores(since before: Sample) -> Double? {
        guard let after = sample(), after.wallSeconds > before.wallSeconds else { return nil }
        let busy = after.machineBusySeconds - before.machineBusySeconds
        let own = after.processSeconds - before.processSeconds
        return max(0, (busy - own) / (after.wallSeconds - before.wallSeconds))
    }
}
