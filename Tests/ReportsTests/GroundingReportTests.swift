import Datasets
import Foundation
import Metrics
import Testing
import VTGCore

@testable import Grounding
@testable import Reports

@Suite struct GroundingReportTests {
    @Test func byteCountsInUnitsOfAThousand() {
        #expect(GroundingReport.byteCount(999) == "999 B")
        #expect(GroundingReport.byteCount(548_500) == "548.5 kB")
        #expect(GroundingReport.byteCount(10_500_000) == "10.5 MB")
    }

    @Test func theConfigurationSummaryShowsTheDefaultsInUse() {
        var run = GroundingRunConfiguration(
            dataset: .charadesSTA, annotationsPath: "/a",
            features: FeatureLocation(format: .npyDirectory, path: "/f"), trainSplit: "train",
            evaluationSplit: "test", evaluationProtocol: .vslnet,
            model: .defaults(for: .charadesSTA, featureDimension: 16, featureKind: "i3d"),
            training: .defaults)
        let summary = GroundingReport.configurationSummary(run).split(separator: "\n")
        #expect(summary.count == 6)
        #expect(
            summary[0] == "dataset charades-sta: train on train, evaluate on test (protocol vslnet)"
        )
        #expect(
            summary[3].hasPrefix(
                "model: hidden 256, 4 heads, feed-forward 1024, 1 video + 2 fusion layers"))
        #expect(
            summary[4]
                == "training: 20 epochs, batch 16, lr 0.0005, weight decay 0.01, seed 1, "
                + "best by R1@0.5, best epoch on test, as VSLNet reports, early stopping after 3 "
                + "epochs without improvement")
        #expect(summary[5] == "stage: grounding, full fine-tuning from scratch")
        run.stage = .pretrain
        run.pretraining = .defaults
        #expect(
            GroundingReport.tuningSummary(run)
                == "stage: VTM pretraining (violet), moment context 0.1")
    }
}
