import Extraction
import Foundation

/// What `vtg extract` says: its start, failures as they happen, and the final summary.
public enum ExtractionReport {
    /// The line of an extraction event.
    public static func text(of event: ExtractionEvent) -> String {
        switch event {
        case .started(let shard, let featureKind, let toExtract, let alreadyComplete):
            let part = shard.count > 1 ? "shard \(shard), " : ""
            return "extract: \(part)\(toExtract) video\(toExtract == 1 ? "" : "s") to extract, "
                + "\(alreadyComplete) already complete; features \(featureKind)"
        case .failed(let failure):
            return "failed: \(failure.message)"
        }
    }

    /// The line `vtg ground --video` says about the video: its duration and clips, and whether
    /// its features were extracted now or found in the cache.
    public static func videoLine(_ video: VideoFileFeatures, path: String) -> String {
        let origin = video.wasCached ? "features from the cache" : "features extracted"
        return "\(path): " + String(format: "%.2f", video.durationSeconds)
            + " s, \(video.features.clipCount) clips of \(video.featureKind) (\(origin): "
            + "\(video.file.path))"
    }

    /// The summary printed at the end: videos, hours of video, clips, failures, wall time and
    /// where the time went.
    public static func summary(_ summary: ExtractionSummary) -> String {
        let timing = summary.timing
        let total = max(timing.totalSeconds, 1e-9)
        func share(_ seconds: Double) -> String { String(format: "%.0f %%", 100 * seconds / total) }
        var lines = [
            "videos: \(summary.extractedCount) extracted, \(summary.skippedCount) already "
                + "complete, \(summary.failures.count) failed (of \(summary.videoCount) in shard "
                + "\(summary.shard))",
            String(
                format: "video: %.2f hours, %d clips, %d frames decoded", summary.videoHours,
                summary.clipCount, summary.decodedFrameCount),
            "wall time: \(ProgressReporter.duration(summary.wallSeconds)) ("
                + String(format: "%.1f", summary.videoSecondsPerWallSecond)
                + " s of video per s); decode \(share(timing.decodeSeconds)), preprocess "
                + "\(share(timing.preprocessSeconds)), encode \(share(timing.encodeSeconds)), "
                + "write \(share(timing.writeSeconds))",
        ]
        for failure in summary.failures { lines.append("failed: \(failure.message)") }
        return lines.joined(separator: "\n")
    }
}

/// The progress bar of `vtg extract`: frames encoded over the frames the videos announce, the
/// rate in frames/s, and the ETA.
extension ProgressReporter: ExtractionProgressReporting {
    /// Prints an extraction event on standard error.
    public func report(_ event: ExtractionEvent) {
        message(ExtractionReport.text(of: event))
    }
}
