import Foundation

/// The reference implementation for the tests: the `ffmpeg` and `ffprobe` commands (Debian's
/// `ffmpeg` package, installed by Scripts/bootstrap.sh), run as separate processes.
enum FFmpegCommandLine {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `/usr/bin/<tool>` with `arguments`; returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) failed: "
                    + String(decoding: message, as: UTF8.self))
        }
        return data
    }

    /// Frame `index` (in decoding order, after the command's automatic rotation) of the video at
    /// `path` as packed RGB24 bytes, converted by the command's default scaler.
    static func rgbFrame(path: String, index: Int) throws -> [UInt8] {
        let data = try run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-i", path, "-vf", "select=eq(n\\,\(index))",
                "-fps_mode", "passthrough", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt",
                "rgb24", "-",
            ])
        return [UInt8](data)
    }

    /// The first frame shown at or after `atSeconds` in the video at `path` (the command line's
    /// accurate seek), as packed RGB24 bytes.
    static func rgbFrame(path: String, atSeconds: Double) throws -> [UInt8] {
        let data = try run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-ss", String(atSeconds), "-i", path, "-frames:v", "1",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
            ])
        return [UInt8](data)
    }

    /// The best-effort presentation time of every frame of the first video stream, in seconds
    /// (as `ffprobe` prints them, to the microsecond; not shifted by the stream's start).
    static func frameTimes(path: String) throws -> [Double] {
        let data = try run(
            "ffprobe",
            [
                "-v", "error", "-select_streams", "v:0", "-show_entries",
                "frame=best_effort_timestamp_time", "-of", "csv=p=0", path,
            ])
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .compactMap { Double($0.trimmingCharacters(in: .whitespaces.union([","]))) }
    }
}
