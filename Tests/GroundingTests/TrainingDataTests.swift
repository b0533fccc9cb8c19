import Datasets
import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Grounding

@Suite struct TrainingDataTests {
    @Test func anEmptyOrAllMalformedSplitIsAnErrorNotAZeroScore() throws {
        let directory = try TemporaryDirectory(label: "grounding")
        let run = try tinyRun(in: directory.url, epochs: 1)
        let testFile = DatasetName.charadesSTA.annotationFile(
            split: "test", in: URL(fileURLWithPath: run.annotationsPath))
        #expect(throws: Never.self) { try TrainingData(run: run, encoder: HashedWordEncoder()) }
        for (contents, found) in [
            ("garbage\nmore garbage\n", "no usable query (dropped: 2 malformed-record)"),
            ("", "no usable query;"),
        ] {
            try Data(contents.utf8).write(to: testFile)
            let error = #expect(throws: GroundingError.self) {
                try TrainingData(run: run, encoder: HashedWordEncoder())
            }
            #expect(
                error?.description.hasPrefix(
                    "\(testFile.path): the evaluation split 'test' has \(found)") == true,
                "\(String(describing: error))")
        }
    }
}
