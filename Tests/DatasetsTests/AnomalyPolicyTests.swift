import Testing
import VTGCore

@testable import Datasets

/// A record of a 30-second video with one span, as a reader would produce it.
private func record(_ start: Double, _ end: Double, query: String = "a person sits down.")
    -> RawAnnotation
{
    RawAnnotation(
        queryID: 0, videoID: "V", durationSeconds: 30, query: query,
        spans: [TimeSpan(startSeconds: start, endSeconds: end)], saliency: nil,
        location: SourceLocation(file: "f.txt", line: 4))
}

/// Cleans one record with the default policy and returns the sample and the report.
private func clean(_ raw: RawAnnotation, policy: AnomalyPolicy = AnomalyPolicy())
    throws(DatasetError)
    -> (GroundingSample?, AnomalyReport)
{
    var recorder = AnomalyRecorder(policy: policy)
    let sample = try policy.clean(raw, recorder: &recorder)
    return (sample, recorder.report)
}

@Test func cleanRecordPassesUnchanged() throws {
    let (sample, report) = try clean(record(1, 5))
    #expect(sample?.targets == [TimeSpan(startSeconds: 1, endSeconds: 5)])
    #expect(report.isEmpty)
}

@Test func endSlightlyPastDurationIsClipped() throws {
    let (sample, report) = try clean(record(20, 31.5))
    #expect(sample?.targets == [TimeSpan(startSeconds: 20, endSeconds: 30)])
    #expect(report.count(of: .endPastDuration) == 1)
}

@Test func endFarPastDurationIsDropped() throws {
    let (sample, report) = try clean(record(20, 32.5))
    #expect(sample == nil)
    #expect(report.count(of: .endFarPastDuration) == 1)
}

@Test func invertedAndZeroLengthSpansAreDropped() throws {
    let (inverted, invertedReport) = try clean(record(8, 7))
    #expect(inverted == nil)
    #expect(invertedReport.count(of: .startAfterEnd) == 1)
    let (empty, emptyReport) = try clean(record(4, 4))
    #expect(empty == nil)
    #expect(emptyReport.count(of: .zeroLength) == 1)
}

@Test func negativeStartIsClippedAndStartPastEndOfVideoIsDropped() throws {
    let (clipped, clippedReport) = try clean(record(-0.5, 3))
    #expect(clipped?.targets == [TimeSpan(startSeconds: 0, endSeconds: 3)])
    #expect(clippedReport.count(of: .negativeStart) == 1)
    let (late, lateReport) = try clean(record(30, 31))
    #expect(late == nil)
    #expect(lateReport.count(of: .startPastDuration) == 1)
}

@Test func sentenceWhitespaceIsRepairedAndNonASCIIKept() throws {
    let (sample, report) = try clean(record(1, 2, query: "  The man\nwaves at café.\n"))
    #expect(sample?.query == "The man waves at café.")
    #expect(report.count(of: .surroundingWhitespace) == 1)
    #expect(report.count(of: .embeddedLineBreak) == 1)
    #expect(report.count(of: .nonASCIIText) == 1)
    let (empty, emptyReport) = try clean(record(1, 2, query: " \n "))
    #expect(empty == nil)
    #expect(emptyReport.count(of: .emptyQuery) == 1)
}

@Test func multiWindowRecordKeepsItsGoodWindows() throws {
    var raw = record(0, 4)
    raw.spans.append(TimeSpan(startSeconds: 9, endSeconds: 6))
    let (sample, report) = try clean(raw)
    #expect(sample?.targets == [TimeSpan(startSeconds: 0, endSeconds: 4)])
    #expect(report.count(of: .startAfterEnd) == 1)
}

@Test func inconsistentSaliencyIsDroppedButSampleKept() throws {
    var raw = record(0, 4)
    raw.saliency = ClipSaliency(
        clipDurationSeconds: 2, clipIndices: [0, 15], annotatorScores: [[1], [2]])
    let (sample, report) = try clean(raw)
    #expect(sample != nil && sample?.saliency == nil)
    #expect(report.count(of: .inconsistentSaliency) == 1)
}

@Test func strictModeNamesFileAndLine() {
    do {
        _ = try clean(record(8, 7), policy: AnomalyPolicy(strict: true))
        Issue.record("strict mode should throw")
    } catch {
        guard case .anomalyInStrictMode(let anomaly) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(anomaly.kind == .startAfterEnd)
        #expect(anomaly.location == SourceLocation(file: "f.txt", line: 4))
        #expect(error.description.hasPrefix("f.txt:4: start-after-end"))
    }
}
