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

    @Test func threeSeedsComparePairedIntervals() {
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
        // Paired by seed: 95 % t-intervals mean ± t(0.975, 2) · s / √3 = mean ± 2.4843 · s.
        #expect(
            sentences == [
                "Best R@1 IoU=0.5: prompt tuning, K=3 train-time augment, averaged (62.00).",
                // Differences −1, −1, −1: s = 0.
                "Prompt tuning vs full fine-tuning on the same VTM backbone: -1.00 R@1 IoU=0.5 "
                    + "points (95% CI [-1.00, -1.00]; within the 2-point target) with 5.00% of "
                    + "the parameters trainable and a 548.5 kB checkpoint; mIoU -1.00 points, "
                    + "seed standard deviation of R@1 IoU=0.5 1.00 against 1.00.",
                // Differences 10, 9, 8: s = 1.
                "VTM pretraining before full fine-tuning: +9.00 points against no pretraining "
                    + "(95% CI [+6.52, +11.48]; better).",
                "The clip-level matching objective beside VTM: +9.00 points for prompt tuning "
                    + "(95% CI [+9.00, +9.00]; better with it).",
                // Differences 1, 0, −1.
                "VIOLET vs All-in-One pretraining for prompt tuning: +0.00 points (95% CI "
                    + "[-2.48, +2.48]; the interval includes zero).",
                // Differences −0.5, 0, 0.5 (s = 0.5), and 3, 3, 3.
                "DropKey under prompt tuning: +0.00 points against no attention regularisation "
                    + "(95% CI [-1.24, +1.24]; the interval includes zero) and +3.00 against "
                    + "ordinary attention dropout (95% CI [+3.00, +3.00]; DropKey better).",
                // The test-time average gains 1, 1, 1 over the single prompt: a paired interval
                // excludes zero although the means differ by one seed deviation; the augmented
                // single prompt's −1, 0, 1 does not.
                "Prompt ensemble (K prompts): test-time average +1.00, train-time augment with "
                    + "one prompt at test +0.00, averaging the augmented prompts adds +2.00 "
                    + "(points against a single prompt; 95% CI [+1.00, +1.00], 95% CI "
                    + "[-2.48, +2.48], 95% CI [-0.48, +4.48]). The ensemble behaved like a model "
                    + "ensemble: the gains appear only when the K prompts are averaged at test "
                    + "time.",
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
                    + "points (one seed; outside the 2-point target) with 5.00% of the "
                    + "parameters trainable and a 548.5 kB checkpoint; mIoU -3.00 points, seed "
                    + "standard deviation of R@1 IoU=0.5 0.00 against 0.00.",
                "VTM pretraining before full fine-tuning: +0.50 points against no pretraining "
                    + "(one seed; within 1 point).",
                "Prompt ensemble (K prompts): test-time average +0.50, train-time augment with "
                    + "one prompt at test +2.00, averaging the augmented prompts adds +0.50 "
                    + "(points against a single prompt; one seed, one seed, one seed). The "
                    + "ensemble behaved like data "
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
            sentences[1].contains("+2.00 R@1 IoU=0.5 points (one seed; within the 2-point target)"))
        #expect(sentences[2].hasSuffix("(one seed; worse)."))
        #expect(
            sentences[3].hasSuffix(
                "The ensemble behaved like a model ensemble: the gains appear only when the K "
                    + "prompts are averaged at test time."))
    }

    /// The CLIP rows: CLIP's text encoder against MiniLM's under full fine-tuning, and CLIP
    /// text prompt tuning against full fine-tuning of the same CLIP-text backbone.
    @Test func theCLIPRowsArePairedWithMiniLMsFullRunAndTheirOwn() {
        let rows = [
            row(.fullAfterPretraining, [60, 61, 62]), row(.fullOnCLIPText, [62, 64, 66]),
            row(.promptOnCLIPText, [61, 63, 65]),
        ]
        let sentences = PromptStudyReport.conclusions(rows, configuration: configuration)
        #expect(
            sentences == [
                "Best R@1 IoU=0.5: full fine-tuning after VTM (violet), CLIP text encoder frozen "
                    + "(64.00).",
                // Differences −1, −1, −1 against the CLIP-text full run, not MiniLM's.
                "CLIP text prompt tuning vs full fine-tuning on the same VTM backbone: -1.00 "
                    + "R@1 IoU=0.5 points (95% CI [-1.00, -1.00]; within the 2-point target) "
                    + "with 5.00% of the parameters trainable and a 548.5 kB checkpoint; mIoU "
                    + "-1.00 points, seed standard deviation of R@1 IoU=0.5 2.00 against 2.00.",
                // Differences 2, 3, 4: s = 1, 3 ± 2.4843.
                "CLIP's frozen text encoder vs MiniLM's under full fine-tuning after VTM: +3.00 "
                    + "points (95% CI [+0.52, +5.48]; CLIP better).",
            ])
    }

    @Test func noRowsNoConclusions() {
        #expect(PromptStudyReport.conclusions([], configuration: configuration).isEmpty)
    }
}
