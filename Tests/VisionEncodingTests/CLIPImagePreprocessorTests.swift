import Foundation
import Tensors
import Testing

@testable import VisionEncoding

@Suite struct CLIPImagePreprocessorTests {
    /// The tiny CLIP folder's `preprocessor_config.json` (CLIPImageProcessor's defaults).
    static let preprocessor = CLIPImagePreprocessor(
        try! CLIPPreprocessorConfiguration(
            contentsOf: CLIPGolden.modelDirectory.appendingPathComponent(
                "preprocessor_config.json")))

    /// The parity bound: 2 levels of 255 in [0, 1] pixel space.
    static let pixelTolerance: Float = 2 / 255

    /// The largest difference between our `pixel_values` and the reference's stored samples,
    /// in [0, 1] pixel units (a normalised difference times the channel's std).
    static func largestPixelError(_ values: [Float], reference name: String) -> Float {
        let plane = 224 * 224
        let deviations = CLIPPreprocessorConfiguration.openAIStandardDeviation
        var largest: Float = 0
        for (position, expected) in zip(CLIPGolden.pixelPositions, CLIPGolden.pixelSamples(name)) {
            let deviation = Float(deviations[position / plane])
            largest = max(largest, abs(values[position] - expected) * deviation)
        }
        return largest
    }

    @Test("resized sizes follow transformers: shorter side 224, longer side truncated")
    func resizedSizes() {
        let preprocessor = Self.preprocessor
        #expect(preprocessor.resizedSize(width: 1280, height: 720) == (398, 224))
        #expect(preprocessor.resizedSize(width: 640, height: 272) == (527, 224))
        #expect(preprocessor.resizedSize(width: 240, height: 320) == (224, 298))
        #expect(preprocessor.resizedSize(width: 176, height: 144) == (273, 224))
        #expect(preprocessor.resizedSize(width: 300, height: 300) == (224, 224))
        #expect(preprocessor.outputSize(width: 1280, height: 720) == (224, 224))
        let exact = CLIPImagePreprocessor(
            .init(resizeTarget: .exact(height: 100, width: 50), centerCrops: false))
        #expect(exact.resizedSize(width: 1280, height: 720) == (50, 100))
        #expect(exact.outputSize(width: 1280, height: 720) == (50, 100))
    }

    @Test("real video frames: the resized and cropped 8-bit image is Pillow's, byte for byte")
    func levelsMatchPillowExactly() {
        for frame in CLIPGolden.frames {
            let ours = Self.preprocessor.resizedAndCropped(CLIPGolden.frame(frame.name))
            let reference = CLIPGolden.levels(frame.name)
            let largest = zip(ours.bytes, reference.bytes).map { abs(Int($0) - Int($1)) }.max()
            #expect(ours.width == 224 && ours.height == 224)
            #expect(
                largest == 0, "\(frame.name) (\(frame.width)×\(frame.height)): \(largest ?? -1)")
        }
    }

    @Test("real video frames: pixel_values within 2/255 of the reference (and bit-exact)")
    func pixelValuesMatchReference() {
        var largest: Float = 0
        for frame in CLIPGolden.frames {
            let values = Self.preprocessor.pixelValues(CLIPGolden.frame(frame.name))
            #expect(values.count == 3 * 224 * 224)
            let error = Self.largestPixelError(values, reference: frame.name)
            #expect(error <= Self.pixelTolerance, "\(frame.name): \(error * 255)/255")
            largest = max(largest, error)
            let exact = zip(CLIPGolden.pixelPositions, CLIPGolden.pixelSamples(frame.name))
                .allSatisfy { values[$0] == $1 }
            #expect(exact, "\(frame.name): a float differs from transformers' float32 value")
        }
        print("CLIP preprocessing: largest pixel error \(largest * 255)/255 over 4 real frames")
    }

    @Test("a frame smaller than the crop without resizing is padded with zeros, centred")
    func unresizedFramePadsWithZeros() {
        let preprocessor = CLIPImagePreprocessor(.init(resizes: false))
        let frame = CLIPGolden.frame("carphone")  // 176×144
        let cropped = preprocessor.resizedAndCropped(frame)
        #expect(cropped == CLIPGolden.levels("carphone_unresized"))
        // Offsets ⌊(176 − 224)/2⌋ = −24 and ⌊(144 − 224)/2⌋ = −40: pixel (0, 0) lands at (24, 40).
        #expect(cropped[x: 24, y: 40, channel: 1] == frame[x: 0, y: 0, channel: 1])
        #expect(cropped[x: 23, y: 40, channel: 0] == 0 && cropped[x: 24, y: 39, channel: 2] == 0)
        let values = preprocessor.pixelValues(frame)
        #expect(Self.largestPixelError(values, reference: "carphone_unresized") == 0)
    }

    @Test("a batch is the images' pixel values stacked, channels first")
    func batchStacksImages() {
        let images = CLIPGolden.frames.map { CLIPGolden.frame($0.name) }
        let batch = Self.preprocessor(images)
        #expect(batch.shape == [images.count, 3, 224, 224])
        let stacked = images.flatMap { Self.preprocessor.pixelValues($0) }
        #expect(batch.scalars == stacked)
    }

    @Test("rescale and normalise: (level/255 − mean)/std, and raw levels when both are off")
    func lookupTable() {
        let preprocessor = CLIPImagePreprocessor()
        let image = RGBImage(
            width: 224, height: 224, bytes: [UInt8](repeating: 255, count: 224 * 224 * 3))
        let values = preprocessor.pixelValues(image)
        let expectedRed = (Float(1.0) - Float(0.48145466)) / Float(0.26862954)
        #expect(values[0] == expectedRed)
        let raw = CLIPImagePreprocessor(.init(rescales: false, normalizes: false))
        #expect(raw.pixelValues(image).allSatisfy { $0 == 255 })
    }
}
