/// The four grounding benchmarks whose on-disk layouts PromptVTG reads and writes.
///
/// | name | annotation files of a split `S` | query ids |
/// |---|---|---|
/// | `charades-sta` | `charades_sta_S.txt`, `Charades_v1_S.csv` (or `charades.json`) | line |
/// | `activitynet` | `S.json` (`train`, `val`, `test` or `train`, `val_1`, `val_2`) | moment |
/// | `tacos` | `S.json` (2D-TAN layout, frames) | moment |
/// | `qvhighlights` | `highlight_S_release.jsonl` or `highlight_S.jsonl` | `qid` |
///
/// "Line" is the 0-based position among the non-blank lines; "moment" is the 0-based position of
/// the moment when videos are read in file order and their moments in order.
public enum DatasetName: String, CaseIterable, Codable, Sendable {
    /// Charades-STA (Gao et al. 2017), 2D-TAN / VSLNet release.
    case charadesSTA = "charades-sta"
    /// ActivityNet Captions (Krishna et al. 2017), 2D-TAN / VSLNet JSON layout.
    case activityNet = "activitynet"
    /// TACoS (Regneri et al. 2013), 2D-TAN JSON layout (frames and fps).
    case tacos = "tacos"
    /// QVHighlights (Lei et al. 2021), moment_detr JSON Lines.
    case qvHighlights = "qvhighlights"
}
