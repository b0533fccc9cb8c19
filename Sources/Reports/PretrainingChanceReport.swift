import Foundation
import Grounding

/// The sentences that flag a VTM pretraining that stayed at chance (`PretrainingChanceCheck`).
public enum PretrainingChanceReport {
    /// What happens to the runs built on a backbone at chance, and what avoids it.
    static let consequence =
        "the grounding runs built on it cannot read the query through it (a frozen backbone under "
        + "prompt tuning, LoRA or side tuning never can; full fine-tuning must learn matching "
        + "itself), and until a model reads the query its span head predicts long, "
        + "near-whole-video spans, below the video-free baseline (Docs/study-results.md, "
        + "\"The collapse\")"

    /// One sentence per backbone whose pretraining stayed at chance on some seed, naming the
    /// seeds and the worst figures; empty when every pretraining learned to match.
    public static func sentences(
        _ checks: [PretrainingChanceCheck], label: (String) -> String
    ) -> [String] {
        var order: [String] = []
        var failed: [String: [PretrainingChanceCheck]] = [:]
        for check in checks where check.isAtChance {
            if failed[check.backbone] == nil { order.append(check.backbone) }
            failed[check.backbone, default: []].append(check)
        }
        return order.compactMap { backbone in
            guard let group = failed[backbone],
                let worst = group.min(by: { $0.heldOutAccuracy < $1.heldOutAccuracy })
            else { return nil }
            let seeds = group.map { String($0.seed) }.joined(separator: ", ")
            return "The VTM pretraining of \(label(backbone)) stayed at chance on seed(s) "
                + seeds + " (" + figures(worst) + "): " + consequence + "."
        }
    }

    /// The warning under a finished pretraining's summary, or nil when it learned to match.
    public static func warning(_ summary: PretrainingSummary) -> String? {
        guard let check = summary.chanceCheck(seed: 0, backbone: summary.backbone.path),
            check.isAtChance
        else { return nil }
        return "warning: this backbone stayed at chance (" + figures(check) + "): " + consequence
            + "."
    }

    /// "held-out matching accuracy 50.3 % (chance 50 %), retrieval R@1 7.0 % among 16 (chance
    /// 6.3 %)".
    static func figures(_ check: PretrainingChanceCheck) -> String {
        String(
            format: "held-out matching accuracy %.1f %% (chance 50 %%), retrieval R@1 %.1f %% "
                + "among %d (chance %.1f %%)",
            check.heldOutAccuracy, check.retrievalAccuracy, check.retrievalCandidates,
            check.retrievalChance)
    }
}
