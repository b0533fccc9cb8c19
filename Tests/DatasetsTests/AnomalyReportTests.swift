import Datasets
import Testing

@Test func reportCountsEveryCaseButKeepsFewExamples() {
    var report = AnomalyReport()
    for line in 1...8 {
        report.record(
            Anomaly(kind: .duplicate, location: SourceLocation(file: "a", line: line), detail: "d"))
    }
    report.record(
        Anomaly(kind: .zeroLength, location: SourceLocation(file: "a", line: 9), detail: "z"))
    #expect(report.count(of: .duplicate) == 8)
    #expect(report.count(of: .zeroLength) == 1)
    #expect(report.count(of: .startAfterEnd) == 0)
    #expect(report.count(with: .dropped) == 1)
    #expect(report.count(with: .kept) == 8)
    // Entries follow the declaration order of AnomalyKind, not the order found.
    #expect(report.entries.map(\.kind) == [.zeroLength, .duplicate])
    #expect(report.entries[1].examples.map { $0.location.line } == [1, 2, 3, 4, 5])
}
