import Dispatch

/// One line of a benchmark table: what was measured, its median time and derived rates.
public struct BenchmarkRow: Codable, Sendable {
    /// The benchmark group (e.g. "sgemm", "element-wise").
    public var group: String
    /// What was measured (e.g. "2048×384×384").
    public var name: String
    /// Median wall time of one repetition, in milliseconds.
    public var medianMilliseconds: Double
    /// Fastest repetition, in milliseconds.
    public var bestMilliseconds: Double
    /// The rate that matters for this row, and its unit ("GFLOP/s", "GB/s", "µs/op", "samples/s").
    public var rate: Double
    public var unit: String
    /// Free-form detail: inputs needed to recompute the rate (FLOPs, bytes, thread count).
    public var note: String

    public init(
        group: String, name: String, medianMilliseconds: Double, bestMilliseconds: Double,
        rate: Double, unit: String, note: String = ""
    ) {
        self.group = group
        self.name = name
        self.medianMilliseconds = medianMilliseconds
        self.bestMilliseconds = bestMilliseconds
        self.rate = rate
        self.unit = unit
        self.note = note
    }
}

/// Times a closure: warm-up calls, then repetitions until both a minimum count and a minimum
/// total time are reached; returns (median, best) in seconds.
public func measure(
    warmup: Int = 2, minimumRepetitions: Int = 5, minimumSeconds: Double = 0.5,
    _ body: () -> Void
) -> (median: Double, best: Double) {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    var total = 0.0
    while times.count < minimumRepetitions || total < minimumSeconds {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        times.append(seconds)
        total += seconds
        if times.count >= 10_000_000 { break }
    }
    times.sort()
    return (times[times.count / 2], times[0])
}

/// Renders benchmark rows as a fixed-width text table.
public func formatBenchmarkTable(_ rows: [BenchmarkRow]) -> String {
    var lines = [
        "group          benchmark                                   median ms      best ms        rate  unit       note",
        String(repeating: "-", count: 118),
    ]
    func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
    func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
    func number(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }
    for row in rows {
        lines.append(
            pad(row.group, 15) + pad(row.name, 40) + padLeft(number(row.medianMilliseconds), 12)
                + padLeft(number(row.bestMilliseconds), 13) + padLeft(number(row.rate), 12) + "  "
                + pad(row.unit, 11) + row.note)
    }
    return lines.joined(separator: "\n")
}
