import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Datasets

@Test func durationsAreRepresentableInEachLayout() {
    var generator = SeededGenerator(seed: 1)
    let charades = SyntheticLayoutWriter.quantizedDuration(
        31.23456, layout: .charadesSTA, using: &generator)
    #expect(charades == 31.23)
    let tacos = SyntheticLayoutWriter.quantizedDuration(200.01, layout: .tacos, using: &generator)
    let frames = tacos * SyntheticLayoutWriter.tacosFramesPerSecond
    #expect(abs(frames - frames.rounded()) < 1e-6)
    for _ in 0..<50 {
        let qv = SyntheticLayoutWriter.quantizedDuration(
            150, layout: .qvHighlights, using: &generator)
        #expect(qv.truncatingRemainder(dividingBy: 2) == 0 && qv >= 120 && qv <= 150)
    }
}

@Test func sentencesFollowEachDatasetsStyle() {
    #expect(
        SyntheticLayoutWriter.styled("a person opens the door", layout: .charadesSTA)
            == "a person opens the door.")
    #expect(
        SyntheticLayoutWriter.styled("a person opens the door", layout: .activityNet)
            == "A person opens the door.")
    #expect(
        SyntheticLayoutWriter.styled("a person opens the door", layout: .tacos)
            == "A person opens the door")
}

/// The synthetic Charades CSV has quoted fields with commas, doubled quotes and line breaks, and
/// the CSV reader recovers every duration.
@Test func charadesCSVExercisesQuotedFields() throws {
    let directory = try TestData.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try SyntheticBenchmark.write(
        SyntheticBenchmarkConfiguration(layout: .charadesSTA, videoCount: 10, featureDimension: 4),
        to: directory)
    let text = try String(
        contentsOf: directory.appendingPathComponent("Charades_v1_train.csv"), encoding: .utf8)
    #expect(text.contains("\"\"synthetic\"\""))
    #expect(text.contains(":\r\na person"))
    let table = CSVTable(parsing: text)
    #expect(table.header.last == "length")
    #expect(table.records.count == 8)
    #expect(table.records.allSatisfy { $0.fields.count == 11 })
}
