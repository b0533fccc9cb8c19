import Foundation
import TestSupport
import Testing
import VideoDecoding

/// The videos the tests read (see `TestVideoFolder`), and how to read the frame numbers burnt into
/// the generated ones.
enum TestVideos {
    /// The path of a real video (`"bikes.mp4"`) or of a generated one (`"generated/numbered.mp4"`);
    /// records a test failure that says how to fetch them when the file is missing.
    static func path(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        TestVideoFolder.path(name, sourceLocation: sourceLocation)
    }

    /// Frames per second of the generated `numbered*` videos.
    static let numberedFramesPerSecond = 25
    /// Frames in each generated `numbered*` video (20 s).
    static let numberedFrameCount = 500

    /// The frame number burnt into a generated `numbered*` frame: 16 stripes 20 pixels wide in
    /// the top 48 rows, stripe b white when bit b is 1 (read at each stripe's centre, row 24).
    /// `rotationDegrees` undoes a clockwise display rotation before reading.
    static func burntInFrameNumber(of frame: VideoFrame, rotationDegrees: Int = 0) -> Int {
        var number = 0
        for bit in 0..<16 {
            let (x, y) = unrotate(
                x: bit * 20 + 10, y: 24, rotationDegrees: rotationDegrees,
                codedWidth: 320, codedHeight: 240)
            let pixel = frame.pixel(x: x, y: y)
            let brightness = (Int(pixel.red) + Int(pixel.green) + Int(pixel.blue)) / 3
            if brightness > 128 { number |= 1 << bit }
        }
        return number
    }

    /// Where the coded pixel (x, y) lands in a frame rotated clockwise by `rotationDegrees`.
    static func unrotate(x: Int, y: Int, rotationDegrees: Int, codedWidth: Int, codedHeight: Int)
        -> (Int, Int)
    {
        switch rotationDegrees {
        case 90: return (codedHeight - 1 - y, x)
        case 180: return (codedWidth - 1 - x, codedHeight - 1 - y)
        case 270: return (y, codedWidth - 1 - x)
        default: return (x, y)
        }
    }
}
