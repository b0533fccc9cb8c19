import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNet

/// A file of a safetensors `header` (JSON text) followed by `data`.
private func safetensorsBytes(header: String, data: [UInt8]) -> Data {
    var bytes = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: Array(header.utf8) + data)
    return bytes
}

@Suite struct CheckpointFileTests {
    static let entries = [
        SafetensorsEntry(
            name: "encoder.layer.0.output.dense.weight", shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
        SafetensorsEntry(name: "scalar", shape: [], scalars: [-7.5]),
        SafetensorsEntry(name: "odd", shape: [3], scalars: [0.25, 0.5, 0.75]),
    ]

    @Test func roundTrip() throws {
        let directory = try TemporaryDirectory(label: "checkpoint-file")
        let url = directory.file("model.safetensors")
        try CheckpointFile.write(Self.entries, metadata: ["configuration": "{\"a\": 1}"], to: url)
        let file = try CheckpointFile(url)
        #expect(file.tensorNames == ["encoder.layer.0.output.dense.weight", "odd", "scalar"])
        #expect(try file.safetensors.shape(of: "scalar") == [])
        #expect(try file.scalars(of: "encoder.layer.0.output.dense.weight") == [1, 2, 3, 4, 5, 6])
        #expect(try file.scalars(of: "odd") == [0.25, 0.5, 0.75])
        #expect(try file.tensors()["scalar"]?.scalars == [-7.5])
        #expect(file.metadata["configuration"] == "{\"a\": 1}")
        #expect(file.metadata[CheckpointFile.checksumKey] != nil)
        #expect(throws: CheckpointFileError.self) { try file.scalars(of: "missing") }
        // No temporary file is left beside it.
        #expect(try directory.entryNames() == ["model.safetensors"])
    }

    @Test func layoutIsSafetensors() throws {
        let directory = try TemporaryDirectory(label: "checkpoint-file")
        let url = directory.file("model.safetensors")
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

    /// Checkpoints written before the reader was shared: the header by `JSONSerialization`
    /// (sorted keys, `\/` escapes), tensors in the order given rather than by name.
    @Test func readsCheckpointsOfTheFormerWriter() throws {
        let directory = try TemporaryDirectory(label: "checkpoint-file")
        var header: [String: Any] = [:]
        var data: [UInt8] = []
        for entry in Self.entries {
            let begin = data.count
            entry.scalars.withUnsafeBytes { data += $0 }
            header[entry.name] = [
                "dtype": "F32", "shape": entry.shape, "data_offsets": [begin, data.count],
            ]
        }
        let checksum = data.withUnsafeBytes {
            CheckpointFile.checksumText(CheckpointFile.checksum($0))
        }
        header["__metadata__"] = [
            "configuration": #"{"features": "/data/charades/i3d"}"#,
            CheckpointFile.checksumKey: checksum,
        ]
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        #expect(String(decoding: headerBytes, as: UTF8.self).contains(#"\/data"#))
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var bytes = Data()
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(headerBytes)
        bytes.append(contentsOf: data)
        let url = directory.file("old.safetensors")
        try bytes.write(to: url)

        let file = try CheckpointFile(url)
        #expect(file.metadata["configuration"] == #"{"features": "/data/charades/i3d"}"#)
        for entry in Self.entries {
            #expect(try file.scalars(of: entry.name) == entry.scalars)
        }
    }

    /// `JSONSerialization`, which the checkpoint reader used before, kept one of two tensors of
    /// the same name without a word.
    @Test func refusesDuplicateHeaderKeys() throws {
        let directory = try TemporaryDirectory(label: "checkpoint-file")
        let tensor = #"{"dtype":"F32","shape":[1],"data_offsets":"#
        let duplicateTensor = safetensorsBytes(
            header: #"{"w":\#(tensor)[0,4]},"w":\#(tensor)[4,8]}}"#,
            data: Array(repeating: 0, count: 8))
        let url = directory.file("duplicate.safetensors")
        try duplicateTensor.write(to: url)
        #expect(
            throws: CheckpointFileError.file(
                .init(path: url.path, problem: .duplicateTensorName("w")))
        ) {
            try CheckpointFile(url)
        }
        let duplicateMetadata = safetensorsBytes(
            header: #"{"__metadata__":{"step":"1","step":"2"},"w":\#(tensor)[0,4]}}"#,
            data: Array(repeating: 0, count: 4))
        try duplicateMetadata.write(to: url)
        #expect(
            throws: CheckpointFileError.file(
                .init(path: url.path, problem: .duplicateTensorName("__metadata__.step")))
        ) {
            try CheckpointFile(url)
        }
    }

    @Test func truncatedCorruptedAndForeignFilesAreRefusedClearly() throws {
        let directory = try TemporaryDirectory(label: "checkpoint-file")
        let url = directory.file("model.safetensors")
        try CheckpointFile.write(Self.entries, metadata: [:], to: url)
        let good = try Data(contentsOf: url)
        func reading(_ bytes: Data) -> CheckpointFileError? {
            let damaged = directory.file("damaged.safetensors")
            try? bytes.write(to: damaged)
            do {
                _ = try CheckpointFile(damaged)
                return nil
            } catch {
                return error
            }
        }
        func problem(_ bytes: Data) -> SafetensorsError.Problem? {
            if case .file(let error)? = reading(bytes) { return error.problem }
            return nil
        }
        // Cut inside the data.
        if case .offsetsOutOfRange? = problem(good.prefix(good.count - 5)) {
        } else {
            Issue.record("a file cut inside its data")
        }
        // Cut inside the header, and shorter than the length field.
        if case .headerLengthPastEnd? = problem(good.prefix(20)) {
        } else {
            Issue.record("header cut")
        }
        if case .truncatedFile? = problem(good.prefix(3)) {} else { Issue.record("length cut") }
        // One flipped bit in the data.
        var flipped = good
        flipped[flipped.count - 3] ^= 0x10
        if case .checksumMismatch? = reading(flipped) {} else { Issue.record("flipped data bit") }
        // A damaged header.
        var garbled = good
        garbled[8] = 0x58  // "X{..." is not JSON
        if case .invalidHeaderJSON? = problem(garbled) {} else { Issue.record("garbled header") }
        // A type safetensors does not know.
        let foreign = safetensorsBytes(
            header: #"{"x":{"dtype":"C64","shape":[1],"data_offsets":[0,2]}}"#, data: [0, 0])
        if case .unknownDataType("x", "C64")? = problem(foreign) {} else { Issue.record("C64") }
        let message = reading(good.prefix(good.count - 5))?.description ?? ""
        #expect(message.contains("damaged.safetensors") && message.contains("earlier checkpoint"))
    }

    @Test func otherTypesAreConvertedToFloat() throws {
        // As Hugging Face files hold them: I64 position ids, F16 and BF16 weights.
        var data: [UInt8] = []
        for value in [Int64(0), 1, -7] { withUnsafeBytes(of: value.littleEndian) { data += $0 } }
        // F16: 1.0 = 0x3C00, −2.5 = 0xC100, 2⁻²⁴ (smallest subnormal) = 0x0001; BF16: the high
        // 16 bits of 1.5 (0x3FC0) and −0.5 (0xBF00).
        for bits in [UInt16(0x3C00), 0xC100, 0x0001, 0x3FC0, 0xBF00] {
            withUnsafeBytes(of: bits.littleEndian) { data += $0 }
        }
        let header =
            #"{"__metadata__":{"format":"pt"},"#
            + #""ids":{"dtype":"I64","shape":[3],"data_offsets":[0,24]},"#
            + #""half":{"dtype":"F16","shape":[3],"data_offsets":[24,30]},"#
            + #""brain":{"dtype":"BF16","shape":[2],"data_offsets":[30,34]}}"#
        let directory = try TemporaryDirectory(label: "checkpoint-file")
        let url = directory.file("foreign.safetensors")
        try safetensorsBytes(header: header, data: data).write(to: url)
        let file = try CheckpointFile(url)
        #expect(try file.safetensors.dataType(of: "ids") == .int64)
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.scalars(of: "ids") == [0, 1, -7])
        #expect(try file.scalars(of: "half") == [1, -2.5, 0x1p-24])
        #expect(try file.scalars(of: "brain") == [1.5, -0.5])
    }

    @Test func aFailedWriteLeavesThePreviousFile() throws {
        let directory = try TemporaryDirectory(label: "checkpoint-file")
        let url = directory.file("model.safetensors")
        try CheckpointFile.write(Self.entries, metadata: [:], to: url)
        let before = try Data(contentsOf: url)
        // Writing into a folder that does not exist fails before touching anything.
        let missing = directory.file("absent/model.safetensors")
        #expect(throws: CheckpointFileError.self) {
            try CheckpointFile.write(Self.entries, metadata: [:], to: missing)
        }
        // A destination that cannot be replaced (a non-empty folder of that name) fails at the
        // rename: the temporary file is removed and the folder is untouched.
        let blocked = directory.file("blocked.safetensors")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: false)
        try Data([1]).write(to: blocked.appendingPathComponent("inside"))
        #expect(throws: CheckpointFileError.self) {
            try CheckpointFile.write(Self.entries, metadata: [:], to: blocked)
        }
        // Duplicate names are refused before anything is written.
        #expect(throws: CheckpointFileError.self) {
            try CheckpointFile.write(Self.entries + [Self.entries[0]], metadata: [:], to: url)
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try directory.entryNames() == ["blocked.safetensors", "model.safetensors"])
    }
}
