import Testing
import VTGCore

@testable import Grounding
@testable import Reports

/// A made-up row: R@1 IoU=0.5 per seed; the other figures do not enter the conclusions.
private func row(_ variant: PromptStudyVariant, _ r1At05: [Double]) -> PromptStudyRow {
    PromptStudyRow(
        variant: variant, r1At03: r1At05, r1At05: r1At05, r1At07: r1At05, meanIoU: r1At05,
        trainableParameters: 1000, trainablePercent: 5, checkpointBytes: 548_500,
        trainingSeconds: 10, pretrainingSeconds: 20)
}

@Suite struct PromptStudyConclusionsTests {
    let configuration = PromptStudyConfiguration()

    @Test func threeSeedsCompareAgainstTheSeedSpread() {
        let rows = [
            row(.fullWithoutPretraining, [50, 52, 54]),  // mean 52, deviation 2
            row(.fullAfterPretraining, [60, 61, 62]),  // 61, 1
            row(.prompt, [59, 60, 61]),  // 60, 1
            row(.promptAfterAllInOne, [58, 60, 62]),  // 60, 2
            row(.promptWithoutClipMatching, [50, 51, 52]),  // 51, 1
            row(.ensembleAverage, [60, 61, 62]),  // 61, 1
            row(.ensembleAugment, [61, 62, 63]),  // 62, 1
            row(.ensembleAugmentOnePrompt, [58, 60, 62]),  // 60, 2
            row(.promptWithoutAttentionRegularisation, [59.5, 60, 60.5]),  // 60, 0.5
            row(.promptWithAttentionDropout, [56, 57, 58]),  // 57, 1
        ]
        let sentences = PromptStudyReport.conclusions(rows, configuration: configuration)
        #expect(
            sentences == [
                "Best R@1 IoU=0.5: prompt tuning, K=3 train-time augment, averaged (62.00).",
                "Prompt tuning vs full fine-tuning on the same VTM backbone: -1.00 R@1 IoU=0.5 "
                    + "points (within the 2-point target) with 5.00% of the parameters trainable "
                    + "and a 548.5 kB checkpoint.",
                // 9 points against a spread of 2: it counts.
                "VTM pretraining before full fine-tuning: +9.00 points against no pretraining "
                    + "(better).",
                "The clip-level matching objective beside VTM: +9.00 points for prompt tuning "
                    + "(better with it).",
                "VIOLET vs All-in-One pretraining for prompt tuning: +0.00 points (within the "
                    + "seed spread).",
                // 3 points against a spread of 1 counts; 0 does not.
                "DropKey: +0.00 points against no attention regularisation (within the seed "
                    + "spread) and +3.00 against ordinary attention dropout (beyond the seed "
                    + "spread).",
                // +1 against a spread of 1 and +2 against a spread of 2: neither exceeds it.
                "Prompt ensemble (K prompts): test-time average +1.00, train-time augment with "
                    + "one prompt at test +0.00, averaging the augmented prompts adds +2.00 "
                    + "(points against a single prompt). The ensemble behaved like neither "
                    + "here: no ensemble variant moved R@1 IoU=0.5 beyond the seed spread.",
            ])
    }

    @Test func oneSeedCountsDifferencesAboveOnePoint() {
        let rows = [
            row(.fullWithoutPretraining, [62.5]), row(.fullAfterPretraining, [63]),
            row(.prompt, [60]), row(.ensembleAverage, [60.5]), row(.ensembleAugment, [62.5]),
            row(.ensembleAugmentOnePrompt, [62]),
        ]
        let sentences = PromptStudyReport.conclusions(rows, configuration: configuration)
        #expect(
            sentences == [
                "Best R@1 IoU=0.5: full fine-tuning after VTM (violet) (63.00).",
                "Prompt tuning vs full fine-tuning on the same VTM backbone: -3.00 R@1 IoU=0.5 "
                    + "points (outside the 2-point target) with 5.00% of the parameters "
                    + "trainable and a 548.5 kB checkpoint.",
                "VTM pretraining before full fine-tuning: +0.50 points against no pretraining "
                    + "(within the seed spread).",
                "Prompt ensemble (K prompts): test-time average +0.50, train-time augment with "
                    + "one prompt at test +2.00, averaging the augmented prompts adds +0.50 "
                    + "(points against a single prompt). The ensemble behaved like data "
                    + "augmentation: training with K sampled prompts improved a single prompt "
                    + "at test time (the same data, better generalisation).",
            ])
    }

    @Test func gainsOnlyFromAveragingReadAsAModelEnsemble() {
        let rows = [
            row(.prompt, [60]), row(.ensembleAverage, [62]), row(.ensembleAugment, [60.8]),
            row(.ensembleAugmentOnePrompt, [60.5]), row(.fullAfterPretraining, [58]),
            row(.fullWithoutPretraining, [61]),
        ]
        let sentences = PromptStudyReport.conclusions(rows, configuration: configuration)
        #expect(sentences.count == 4)
        #expect(
            sentences[1].contains("+2.00 R@1 IoU=0.5 points (within the 2-point target)"))
        #expect(sentences[2].hasSuffix("(worse)."))
        #expect(
            sentences[3].hasSuffix(
                "The ensemble behaved like a model ensemble: the gains appear only when the K "
                    + "prompts are averaged at test time."))
    }

    @Test func noRowsNoConclusions() {
        #expect(PromptStudyReport.conclusions([], configuration: configuration).isEmpty)
    }
}
