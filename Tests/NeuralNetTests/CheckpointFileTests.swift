import Foundation
import NeuralNet
import Tensors
import Testing

/// A fresh temporary folder per test (removed by the caller's `defer`).
func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("neuralnet-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct CheckpointFileTests {
    static let entries = [
        CheckpointEntry(
            name: "encoder.layer.0.output.dense.weight", shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
        CheckpointEntry(name: "scalar", shape: [], scalars: [-7.5]),
        CheckpointEntry(name: "odd", shape: [3], scalars: [0.25, 0.5, 0.75]),
    ]

    @Test func roundTrip() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try CheckpointFile.write(Self.entries, metadata: ["configuration": "{\"a\": 1}"], to: url)
        let file = try CheckpointFile(url)
        #expect(file.tensorNames == ["encoder.layer.0.output.dense.weight", "odd", "scalar"])
        #expect(file.shape(of: "scalar") == [] && file.shape(of: "missing") == nil)
        #expect(try file.scalars(of: "encoder.layer.0.output.dense.weight") == [1, 2, 3, 4, 5, 6])
        #expect(try file.scalars(of: "odd") == [0.25, 0.5, 0.75])
        #expect(try file.tensors()["scalar"]?.scalars == [-7.5])
        #expect(file.metadata["configuration"] == "{\"a\": 1}")
        #expect(throws: CheckpointFileError.self) { try file.scalars(of: "missing") }
        // No temporary file is left beside it.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == [
                "model.safetensors"
            ])
    }

    @Test func layoutIsSafetensors() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try CheckpointFile.write(Self.entries, metadata: [:], to: url)
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) {
            $0 | Int($1.element) << (8 * $1.offset)
        }
        #expect(headerLength % 8 == 0)
        let header =
            try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + headerLength)))
            as? [String: Any]
        let weight = header?["encoder.layer.0.output.dense.weight"] as? [String: Any]
        #expect(weight?["dtype"] as? String == "F32")
        #expect(weight?["shape"] as? [Int] == [2, 3])
        #expect(weight?["data_offsets"] as? [Int] == [0, 24])
        #expect((header?["__metadata__"] as? [String: String])?["promptvtg.data_fnv1a64"] != nil)
        // 6 + 1 + 3 floats of data after the header.
        #expect(bytes.count == 8 + headerLength + 40)
        // Little-endian float 1.0 at the start of the data.
        #expect(Array(bytes[(8 + headerLength)..<(12 + headerLength)]) == [0, 0, 0x80, 0x3F])
    }

    @Test func truncatedCorruptedAndForeignFilesAreRefusedClearly() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try CheckpointFile.write(Self.entries, metadata: [:], to: url)
        let good = try Data(contentsOf: url)
        func reading(_ bytes: Data) -> CheckpointFileError? {
            let damaged = folder.appendingPathComponent("damaged.safetensors")
            try? bytes.write(to: damaged)
            do {
                _ = try CheckpointFile(damaged)
                return nil
            } catch {
                return error
            }
        }
        // Cut inside the data.
        guard case .truncated(_, let detail)? = reading(good.prefix(good.count - 5)) else {
            Issue.record("a truncated file was not reported as truncated")
            return
        }
        #expect(detail.contains("needs data bytes"))
        // Cut inside the header, and shorter than the length field.
        if case .truncated? = reading(good.prefix(20)) {} else { Issue.record("header cut") }
        if case .truncated? = reading(good.prefix(3)) {} else { Issue.record("length cut") }
        // One flipped bit in the data.
        var flipped = good
        flipped[flipped.count - 3] ^= 0x10
        if case .checksumMismatch? = reading(flipped) {} else { Issue.record("flipped data bit") }
        // A damaged header.
        var garbled = good
        garbled[8] = 0x58  // "X{..." is not JSON
        if case .malformedHeader? = reading(garbled) {} else { Issue.record("garbled header") }
        // A type the reader does not know.
        let foreign = #"{"x":{"dtype":"C64","shape":[1],"data_offsets":[0,2]}}"#
        var foreignBytes = Data()
        var length = UInt64(foreign.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { foreignBytes.append(contentsOf: $0) }
        foreignBytes.append(contentsOf: Array(foreign.utf8) + [0, 0])
        if case .unsupportedType(_, "x", "C64")? = reading(foreignBytes) {
        } else {
            Issue.record("C64")
        }
        let message = reading(good.prefix(good.count - 5))?.description ?? ""
        #expect(message.contains("damaged.safetensors") && message.contains("earlier checkpoint"))
    }

    @Test func otherTypesAreConvertedToFloat() throws {
        // As Hugging Face files hold them: I64 position ids, F16 and BF16 weights.
        let header =
            #"{"__metadata__":{"format":"pt"},"ids":{"dtype":"I64","shape":[3],"data_offsets":[0,24]},"half":{"dtype":"F16","shape":[3],"data_offsets":[24,30]},"brain":{"dtype":"BF16","shape":[2],"data_offsets":[30,34]}}"#
        var bytes = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        for value in [Int64(0), 1, -7] {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        // F16: 1.0 = 0x3C00, −2.5 = 0xC100, 2⁻²⁴ (smallest subnormal) = 0x0001
        for half in [UInt16(0x3C00), 0xC100, 0x0001] {
            withUnsafeBytes(of: half.littleEndian) { bytes.append(contentsOf: $0) }
        }
        // BF16: the high 16 bits of 1.5 (0x3FC0) and −0.5 (0xBF00)
        for brain in [UInt16(0x3FC0), 0xBF00] {
            withUnsafeBytes(of: brain.littleEndian) { bytes.append(contentsOf: $0) }
        }
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("foreign.safetensors")
        try bytes.write(to: url)
        let file = try CheckpointFile(url)
        #expect(file.dtype(of: "ids") == "I64" && file.metadata == ["format": "pt"])
        #expect(try file.scalars(of: "ids") == [0, 1, -7])
        #expect(try file.scalars(of: "half") == [1, -2.5, 0x1p-24])
        #expect(try file.scalars(of: "brain") == [1.5, -0.5])
    }

    @Test func aFailedWriteLeavesThePreviousFile() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try CheckpointFile.write(Self.entries, metadata: [:], to: url)
        let before = try Data(contentsOf: url)
        // Writing into a folder that does not exist fails before touching anything.
        let missing = folder.appendingPathComponent("absent/model.safetensors")
        #expect(throws: CheckpointFileError.self) {
            try CheckpointFile.write(Self.entries, metadata: [:], to: missing)
        }
        // A destination that cannot be replaced (a non-empty folder of that name) fails at the
        // rename: the temporary file is removed and the folder is untouched.
        let blocked = folder.appendingPathComponent("blocked.safetensors")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: false)
        try Data([1]).write(to: blocked.appendingPathComponent("inside"))
        #expect(throws: CheckpointFileError.self) {
            try CheckpointFile.write(Self.entries, metadata: [:], to: blocked)
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
                == ["model.safetensors", "blocked.safetensors"])
    }
}
