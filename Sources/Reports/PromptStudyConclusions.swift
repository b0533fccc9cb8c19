import Foundation
import Grounding
import Metrics
import VTGCore

extension PromptStudyReport {
    /// Sentences drawn from the numbers: the winner, each parameter-efficient method against
    /// full fine-tuning on its backbone (CLIP text prompts against full fine-tuning on CLIP's),
    /// CLIP's frozen text encoder against MiniLM's, VTM against none, the clip-level
    /// objective, DropKey (under prompt tuning, full fine-tuning and LoRA), and whether the
    /// prompt ensemble behaved like data augmentation or like a model ensemble. Comparisons use R@1 at IoU 0.5, paired by seed:
    /// the mean paired difference with its 95 % paired t-interval over the seeds
    /// (`PairedDifference`); a difference counts when the interval excludes zero (with one
    /// seed there is no interval: it counts above `singleSeedThreshold` points).
    public static func conclusions(
        _ rows: [PromptStudyRow], configuration: PromptStudyConfiguration
    ) -> [String] {
        var byVariant: [PromptStudyVariant: PromptStudyRow] = [:]
        for row in rows { byVariant[row.variant] = row }
        let mean = { (row: PromptStudyRow) in PromptStudyRow.spread(row.r1At05).mean }
        func compare(_ a: PromptStudyVariant, _ b: PromptStudyVariant)
            -> (difference: Double, counts: Bool, interval: String)?
        {
            guard let first = byVariant[a], let second = byVariant[b],
                first.r1At05.count == second.r1At05.count, !first.r1At05.isEmpty
            else { return nil }
            let paired = PairedDifference(first.r1At05, second.r1At05)
            guard paired.differences.count > 1 else {
                return (paired.mean, abs(paired.mean) > singleSeedThreshold, Self.oneSeed)
            }
            return (
                paired.mean, paired.excludesZero,
                String(format: "95%% CI [%+.2f, %+.2f]", paired.lower, paired.upper)
            )
        }
        func signed(_ value: Double) -> String { String(format: "%+.2f", value) }
        func verdict(
            _ comparison: (difference: Double, counts: Bool, interval: String), _ better: String,
            _ worse: String
        ) -> String {
            let none =
                comparison.interval == Self.oneSeed
                ? String(format: "within %g point", singleSeedThreshold)
                : "the interval includes zero"
            return comparison.interval + "; "
                + (comparison.counts ? (comparison.difference > 0 ? better : worse) : none)
        }

        var sentences: [String] = []
        let ranked = rows.filter { $0.variant != .ensembleAugmentOnePrompt }
        if let best = ranked.max(by: { mean($0) < mean($1) }) {
            sentences.append(
                String(
                    format: "Best R@1 IoU=0.5: %@ (%.2f).",
                    label(of: best.variant, in: configuration), mean(best)))
        }
        let methods: [(PromptStudyVariant, String)] = [
            (.prompt, "Prompt tuning"), (.lora, "LoRA"), (.lastLayer, "Last-layer tuning"),
            (.side, "Side tuning"), (.promptOnCLIPText, "CLIP text prompt tuning"),
        ]
        for (method, name) in methods {
            let reference = fullTuning(sharingBackboneWith: method)
            guard let comparison = compare(method, reference),
                let row = byVariant[method], let full = byVariant[reference]
            else { continue }
            let within =
                abs(comparison.difference) <= promptTuningTarget || comparison.difference > 0
            let meanIoU = PairedDifference(row.meanIoU, full.meanIoU).mean
            sentences.append(
                String(
                    format: "%@ vs full fine-tuning on the same VTM backbone: %@ R@1 IoU=0.5 "
                        + "points (%@; %@ the %g-point target) with %.2f%% of the parameters "
                        + "trainable and a %@ checkpoint; mIoU %@ points, seed standard "
                        + "deviation of R@1 IoU=0.5 %.2f against %.2f.",
                    name, signed(comparison.difference),
                    comparison.interval, within ? "within" : "outside", promptTuningTarget,
                    row.trainablePercent, GroundingReport.byteCount(row.checkpointBytes),
                    signed(meanIoU), PromptStudyRow.spread(row.r1At05).deviation,
                    PromptStudyRow.spread(full.r1At05).deviation))
        }
        if let comparison = compare(.fullOnCLIPText, .fullAfterPretraining) {
            sentences.append(
                "CLIP's frozen text encoder vs MiniLM's under full fine-tuning after VTM: "
                    + "\(signed(comparison.difference)) points "
                    + "(\(verdict(comparison, "CLIP better", "MiniLM better"))).")
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
        typealias DropKeySetting = (
            name: String, dropKey: PromptStudyVariant, none: PromptStudyVariant,
            dropout: PromptStudyVariant
        )
        let dropKeySettings: [DropKeySetting] = [
            ("prompt tuning", .prompt, .promptWithoutAttentionRegularisation,
                .promptWithAttentionDropout),
            ("full fine-tuning", .fullAfterPretraining, .fullWithoutAttentionRegularisation,
                .fullWithAttentionDropout),
            ("LoRA", .lora, .loraWithoutAttentionRegularisation, .loraWithAttentionDropout),
        ]
        for (setting, dropKey, none, dropout) in dropKeySettings {
            guard let off = compare(dropKey, none), let ordinary = compare(dropKey, dropout)
            else { continue }
            sentences.append(
                "DropKey under \(setting): \(signed(off.difference)) points against no "
                    + "attention regularisation "
                    + "(\(verdict(off, "DropKey better", "DropKey worse"))) and "
                    + "\(signed(ordinary.difference)) against ordinary attention dropout "
                    + "(\(verdict(ordinary, "DropKey better", "DropKey worse"))).")
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
                    "like neither here: no ensemble variant's interval excludes zero"
            }
            sentences.append(
                "Prompt ensemble (K prompts): test-time average \(signed(average.difference)), "
                    + "train-time augment with one prompt at test "
                    + "\(signed(augmentOne.difference)), averaging the augmented prompts adds "
                    + "\(signed(augmentAverage.difference)) (points against a single prompt; "
                    + "\(average.interval), \(augmentOne.interval), \(augmentAverage.interval)). "
                    + "The ensemble behaved \(behaviour).")
        }
        return sentences
    }

    /// The full fine-tuning row on the backbone `method` tunes: the CLIP-text one for the CLIP
    /// rows, the VIOLET one otherwise.
    static func fullTuning(sharingBackboneWith method: PromptStudyVariant) -> PromptStudyVariant {
        method.textEncoder == .clip ? .fullOnCLIPText : .fullAfterPretraining
    }

    /// How a comparison of one seed names its missing interval.
    static let oneSeed = "one seed"

    /// With one seed there is no interval: a difference counts above this many points.
    public static let singleSeedThreshold = 1.0

    /// Prompt tuning's goal: within this many R@1 IoU=0.5 points of full fine-tuning.
    public static let promptTuningTarget = 2.0
}
