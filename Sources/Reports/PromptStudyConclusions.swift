import Foundation
import Grounding
import VTGCore

extension PromptStudyReport {
    /// Sentences drawn from the numbers: the winner, prompt tuning against full fine-tuning,
    /// VTM against none, the clip-level objective, DropKey, and whether the prompt ensemble
    /// behaved like data augmentation or like a model ensemble. Comparisons use R@1 at IoU 0.5;
    /// a difference counts when it exceeds the larger of the two rows' seed standard deviations
    /// (with one seed: `singleSeedThreshold` points).
    public static func conclusions(
        _ rows: [PromptStudyRow], configuration: PromptStudyConfiguration
    ) -> [String] {
        var byVariant: [PromptStudyVariant: PromptStudyRow] = [:]
        for row in rows { byVariant[row.variant] = row }
        let mean = { (row: PromptStudyRow) in PromptStudyRow.spread(row.r1At05).mean }
        func threshold(_ a: PromptStudyRow, _ b: PromptStudyRow) -> Double {
            guard a.r1At05.count > 1 else { return singleSeedThreshold }
            return max(
                PromptStudyRow.spread(a.r1At05).deviation, PromptStudyRow.spread(b.r1At05).deviation
            )
        }
        func compare(_ a: PromptStudyVariant, _ b: PromptStudyVariant)
            -> (difference: Double, counts: Bool)?
        {
            guard let first = byVariant[a], let second = byVariant[b] else { return nil }
            let difference = mean(first) - mean(second)
            return (difference, abs(difference) > threshold(first, second))
        }
        func signed(_ value: Double) -> String { String(format: "%+.2f", value) }
        func verdict(
            _ comparison: (difference: Double, counts: Bool), _ better: String,
            _ worse: String
        ) -> String {
            comparison.counts
                ? (comparison.difference > 0 ? better : worse) : "within the seed spread"
        }

        var sentences: [String] = []
        let ranked = rows.filter { $0.variant != .ensembleAugmentOnePrompt }
        if let best = ranked.max(by: { mean($0) < mean($1) }) {
            sentences.append(
                String(
                    format: "Best R@1 IoU=0.5: %@ (%.2f).",
                    label(of: best.variant, in: configuration), mean(best)))
        }
        if let (difference, _) = compare(.prompt, .fullAfterPretraining),
            let prompt = byVariant[.prompt]
        {
            let within = abs(difference) <= promptTuningTarget || difference > 0
            sentences.append(
                String(
                    format: "Prompt tuning vs full fine-tuning on the same VTM backbone: %@ R@1 "
                        + "IoU=0.5 points (%@ the %g-point target) with %.2f%% of the parameters "
                        + "trainable and a %@ checkpoint.",
                    signed(difference), within ? "within" : "outside", promptTuningTarget,
                    prompt.trainablePercent, GroundingReport.byteCount(prompt.checkpointBytes)))
        }
        if let comparison = compare(.fullAfterPretraining, .fullWithoutPretraining) {
            sentences.append(
                "VTM pretraining before full fine-tuning: \(signed(comparison.difference)) "
                    + "points against no pretraining "
                    + "(\(verdict(comparison, "better", "worse"))).")
        }
        if let comparison = compare(.prompt, .promptWithoutClipMatching) {
            sentences.append(
                "The clip-level matching objective beside VTM: \(signed(comparison.difference)) "
                    + "points for prompt tuning "
                    + "(\(verdict(comparison, "better with it", "worse with it"))).")
        }
        if let comparison = compare(.prompt, .promptAfterAllInOne) {
            sentences.append(
                "VIOLET vs All-in-One pretraining for prompt tuning: "
                    + "\(signed(comparison.difference)) points "
                    + "(\(verdict(comparison, "VIOLET better", "All-in-One better"))).")
        }
        if let off = compare(.prompt, .promptWithoutAttentionRegularisation),
            let dropout = compare(.prompt, .promptWithAttentionDropout)
        {
            sentences.append(
                "DropKey: \(signed(off.difference)) points against no attention regularisation "
                    + "(\(off.counts ? "beyond" : "within") the seed spread) and "
                    + "\(signed(dropout.difference)) against ordinary attention dropout "
                    + "(\(dropout.counts ? "beyond" : "within") the seed spread).")
        }
        if let average = compare(.ensembleAverage, .prompt),
            let augmentOne = compare(.ensembleAugmentOnePrompt, .prompt),
            let augmentAverage = compare(.ensembleAugment, .ensembleAugmentOnePrompt)
        {
            let behaviour: String
            if augmentOne.counts, augmentOne.difference > 0 {
                behaviour =
                    "like data augmentation: training with K sampled prompts improved a single "
                    + "prompt at test time (the same data, better generalisation)"
            } else if (average.counts && average.difference > 0)
                || (augmentAverage.counts && augmentAverage.difference > 0)
            {
                behaviour =
                    "like a model ensemble: the gains appear only when the K prompts are "
                    + "averaged at test time"
            } else {
                behaviour =
                    "like neither here: no ensemble variant moved R@1 IoU=0.5 beyond the seed "
                    + "spread"
            }
            sentences.append(
                "Prompt ensemble (K prompts): test-time average \(signed(average.difference)), "
                    + "train-time augment with one prompt at test "
                    + "\(signed(augmentOne.difference)), averaging the augmented prompts adds "
                    + "\(signed(augmentAverage.difference)) (points against a single prompt). "
                    + "The ensemble behaved \(behaviour).")
        }
        return sentences
    }

    /// With one seed there is no spread: a difference counts above this many points.
    public static let singleSeedThreshold = 1.0

    /// Prompt tuning's goal: within this many R@1 IoU=0.5 points of full fine-tuning.
    public static let promptTuningTarget = 2.0
}
