import Datasets
import Testing

@Test func everyKindHasOneAction() {
    #expect(AnomalyKind.startAfterEnd.action == .dropped)
    #expect(AnomalyKind.endPastDuration.action == .repaired)
    #expect(AnomalyKind.duplicate.action == .kept)
    #expect(AnomalyKind.allCases.sorted() == AnomalyKind.allCases)
}

@Test func anomalyDescriptionNamesLocationKindAndAction() {
    let anomaly = Anomaly(
        kind: .zeroLength, location: SourceLocation(file: "a.txt", line: 3), detail: "start = end")
    #expect(anomaly.description == "a.txt:3: zero-length (dropped): start = end")
}
