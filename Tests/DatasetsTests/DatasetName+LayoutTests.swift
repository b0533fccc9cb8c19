import Foundation
import TestSupport
import Testing
import VTGCore

@testable import Datasets

@Test func splitsAreFoundAndOrdered() {
    #expect(
        DatasetName.activityNet.availableSplits(in: TestData.shared("activitynet_captions/vslnet"))
            == ["train", "val_1", "val_2"])
    #expect(
        DatasetName.activityNet.availableSplits(in: TestData.shared("activitynet_captions/2d-tan"))
            == ["train", "val", "test"])
    #expect(
        DatasetName.charadesSTA.availableSplits(in: TestData.shared("charades_sta")) == [
            "train", "test",
        ])
    #expect(
        DatasetName.qvHighlights.availableSplits(in: TestData.shared("qvhighlights")) == [
            "train", "val", "test", "test_with_gt",
        ])
}

@Test func unknownSplitListsTheSplitsFound() {
    do {
        _ = try GroundingDataset.load(.tacos, split: "dev", from: TestData.shared("tacos"))
        Issue.record("expected splitNotFound")
    } catch {
        #expect(
            error
                == .splitNotFound(
                    dataset: .tacos, split: "dev", directory: TestData.shared("tacos").path,
                    available: ["train", "val", "test"]))
    }
}
