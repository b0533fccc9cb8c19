import Foundation
import Tensors
import VisionEncoding
import ZIPFoundation

/// The goldens of `Scripts/make_clip_golden.py`: the tiny random CLIP folder, and frames of real
/// videos with the reference `pixel_values` (as 8-bit levels after resize and crop, plus float32
/// samples) and `image_embeds`, read from `Fixtures/clip_golden.npz` and `.json`.
enum CLIPGolden {
    /// The test target's fixtures.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    /// The tiny random CLIPModel folder.
    static let modelDirectory = fixtures.appendingPathComponent("tiny-clip")

    /// One frame's metadata in `clip_golden.json`.
    struct Frame: Decodable {
        let name: String
        let file: String
        let width: Int
        let height: Int
    }

    private struct Metadata: Decodable {
        let frames: [Frame]
        let pixel_stride: Int
    }

    /// An array of the archive: its shape and its values as `Float` (exact for uint8 and int32).
    struct Array {
        let shape: [Int]
        let values: [Float]
    }

    /// The frames, in the order of `image_embeds`' rows.
    static let frames: [Frame] = metadata.frames

    private static let metadata: Metadata = {
        let url = fixtures.appendingPathComponent("clip_golden.json")
        guard let data = try? Data(contentsOf: url),
            let metadata = try? JSONDecoder().decode(Metadata.self, from: data)
        else { fatalError("CLIPGolden: cannot read \(url.path)") }
        return metadata
    }()

    /// Every array of `clip_golden.npz`, by name.
    static let arrays: [String: Array] = {
        let url = fixtures.appendingPathComponent("clip_golden.npz")
        var arrays: [String: Array] = [:]
        do {
            let archive = try Archive(url: url, accessMode: .read)
            for entry in archive {
                var data = Data()
                _ = try archive.extract(entry, bufferSize: 1 << 20) { data.append($0) }
                let name = String(entry.path.dropLast(".npy".count))
                arrays[name] = try parseNumpy(data, name: name)
            }
        } catch {
            fatalError("CLIPGolden: cannot read \(url.path): \(error)")
        }
        return arrays
    }()

    /// The array `name`; stops the tests when it is missing.
    static func array(_ name: String) -> Array {
        guard let array = arrays[name] else { fatalError("CLIPGolden: no array \(name)") }
        return array
    }

    /// The RGB frame `name`.
    static func frame(_ name: String) -> RGBImage {
        let array = array("frame_\(name)")
        return RGBImage(
            width: array.shape[1], height: array.shape[0],
            bytes: array.values.map { UInt8($0) })
    }

    /// The reference image after resize and crop, as an HWC `RGBImage` (stored CHW).
    static func levels(_ name: String) -> RGBImage {
        let array = array("levels_\(name)")
        let (height, width) = (array.shape[1], array.shape[2])
        var bytes = [UInt8](repeating: 0, count: height * width * 3)
        for channel in 0..<3 {
            for pixel in 0..<height * width {
                bytes[pixel * 3 + channel] = UInt8(array.values[channel * height * width + pixel])
            }
        }
        return RGBImage(width: width, height: height, bytes: bytes)
    }

    /// The flat positions in `pixel_values` of the stored float32 samples.
    static var pixelPositions: [Int] { array("pixel_positions").values.map { Int($0) } }

    /// The reference `pixel_values` of `name` at `pixelPositions`.
    static func pixelSamples(_ name: String) -> [Float] { array("pixels_\(name)").values }

    /// The reference `image_embeds`, `[frames, projection]`.
    static var imageEmbeddings: Array { array("image_embeds") }

    /// A `.npy` of dtype uint8, int32 or float32 (little-endian, C order).
    static func parseNumpy(_ data: Data, name: String) throws -> Array {
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, bytes[1...5].elementsEqual("NUMPY".utf8)
        else { throw GoldenError(reason: "\(name) is not a .npy") }
        let major = bytes[6]
        let headerLength =
            major == 1
            ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        let headerStart = major == 1 ? 10 : 12
        let header = String(
            decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        guard let descriptor = header.firstMatch(of: /'descr': '([^']+)'/)?.1,
            let shapeText = header.firstMatch(of: /'shape': \(([^)]*)\)/)?.1,
            header.contains("'fortran_order': False")
        else { throw GoldenError(reason: "\(name): unreadable header \(header)") }
        let shape = shapeText.split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let body = Swift.Array(bytes[(headerStart + headerLength)...])
        let values: [Float]
        switch descriptor {
        case "|u1":
            values = body.prefix(count).map { Float($0) }
        case "<i4", "<f4":
            guard body.count >= count * 4 else { throw GoldenError(reason: "\(name) is short") }
            values = (0..<count).map { index in
                let bits =
                    UInt32(body[4 * index]) | UInt32(body[4 * index + 1]) << 8
                    | UInt32(body[4 * index + 2]) << 16 | UInt32(body[4 * index + 3]) << 24
                return descriptor == "<f4"
                    ? Float(bitPattern: bits) : Float(Int32(bitPattern: bits))
            }
        default:
            throw GoldenError(reason: "\(name): unsupported dtype \(descriptor)")
        }
        return Array(shape: shape, values: values)
    }

    struct GoldenError: Error {
        let reason: String
    }
}
