import Foundation
import TestSupport
import Testing

@testable import Tensors

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

/// Serialises a reader and a writer thread in the atomicity test.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

@Suite struct SafetensorsWriterTests {
    @Test func roundTripsTensorsAndMetadata() throws {
        let directory = try TemporaryDirectory(label: "safetensors-writer")
        let url = directory.file("model.safetensors")
        let entries = [
            SafetensorsEntry(
                name: "layer.0.weight", shape: [2, 3], scalars: [1, -2, 3.5, 0, -0, 0x1p-140]),
            SafetensorsEntry(name: "scalar", shape: [], scalars: [7]),
            SafetensorsEntry(name: "empty", shape: [0, 4], scalars: []),
            SafetensorsEntry(
                name: "special \"é\"\n", shape: [3], scalars: [.infinity, -.infinity, .nan]),
        ]
        let metadata = ["config": #"{"hiddenSize": 384}"#, "step": "12", "note": "tab\there"]
        try SafetensorsWriter.write(entries, metadata: metadata, to: url)

        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == metadata)
        #expect(file.tensorNames == entries.map(\.name).sorted())
        for entry in entries {
            #expect(try file.shape(of: entry.name) == entry.shape)
            #expect(try file.dataType(of: entry.name) == .float32)
            // Bit patterns: NaN and -0 must survive too.
            #expect(
                try file.scalars(of: entry.name).map(\.bitPattern)
                    == entry.scalars.map(\.bitPattern))
        }
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
        let headerLength = try Data(contentsOf: url).prefix(8).withUnsafeBytes {
            Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)))
        }
        #expect(headerLength % 8 == 0)
        #expect(size == 8 + headerLength + 4 * (6 + 1 + 0 + 3))
    }

    @Test func writesTheSameBytesAsTheReference() throws {
        let directory = try TemporaryDirectory(label: "safetensors-writer")
        let url = directory.file("ours.safetensors")
        // The tensors of Scripts/make_safetensors_fixture.py, in another order.
        let entries = [
            SafetensorsEntry(name: "z.bias", shape: [3], scalars: [0.25, -8, 1e-7]),
            SafetensorsEntry(name: "c", shape: [0], scalars: []),
            SafetensorsEntry(name: "b", shape: [], scalars: [-0.5]),
            SafetensorsEntry(name: "a.weight", shape: [2, 2], scalars: [1, 2, 3, 4]),
        ]
        try SafetensorsWriter.write(entries, metadata: ["format": "np"], to: url)
        let reference = try Data(
            contentsOf: fixtures.appendingPathComponent("reference_f32.safetensors"))
        #expect(try Data(contentsOf: url) == reference)
    }

    @Test func escapesNamesAsTheReferenceDoes() {
        let entries = [
            SafetensorsEntry(name: "a\"b\\c\u{1}\u{8}\u{c}\n\r\té/", shape: [], scalars: [1])
        ]
        let header = String(
            decoding: SafetensorsWriter.headerBytes(entries, metadata: [:]), as: UTF8.self)
        #expect(header.hasPrefix(#"{"a\"b\\c\u0001\b\f\n\r\té/":{"dtype":"F32","shape":[],"#))
    }

    @Test func laysTensorsOutSortedByTheirUTF8Bytes() {
        let names = ["b", "a.weight", "Z", "é", "a"]
        let entries = names.map { SafetensorsEntry(name: $0, shape: [], scalars: [0]) }
        #expect(
            SafetensorsWriter.fileOrder(entries).map(\.name) == ["Z", "a", "a.weight", "b", "é"])
    }

    @Test func refusesDuplicateAndReservedNamesBeforeTouchingTheDisk() throws {
        let directory = try TemporaryDirectory(label: "safetensors-writer")
        let url = directory.file("model.safetensors")
        let duplicate = [
            SafetensorsEntry(name: "a", shape: [1], scalars: [1]),
            SafetensorsEntry(name: "a", shape: [1], scalars: [2]),
        ]
        #expect(
            throws: SafetensorsError(
                path: url.path,
                problem: .invalidEntry(name: "a", reason: "two entries have this name"))
        ) {
            try SafetensorsWriter.write(duplicate, to: url)
        }
        let reserved = [SafetensorsEntry(name: "__metadata__", shape: [1], scalars: [1])]
        #expect(throws: SafetensorsError.self) { try SafetensorsWriter.write(reserved, to: url) }
        #expect(try directory.entryNames() == [])
    }

    @Test func leavesNoTemporaryFileBehind() throws {
        let directory = try TemporaryDirectory(label: "safetensors-writer")
        let url = directory.file("model.safetensors")
        for step in 0..<3 {
            let entries = [SafetensorsEntry(name: "w", shape: [2], scalars: [Float(step), 1])]
            try SafetensorsWriter.write(entries, metadata: ["step": "\(step)"], to: url)
        }
        #expect(try directory.entryNames() == ["model.safetensors"])
        #expect(try SafetensorsFile(contentsOf: url).metadata == ["step": "2"])
    }

    @Test func aFailedWriteLeavesTheTargetAndNoTemporaryFile() throws {
        let directory = try TemporaryDirectory(label: "safetensors-writer")
        // The target is a non-empty folder: everything is written, then the rename fails.
        let target = directory.file("model.safetensors")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data([1]).write(to: target.appendingPathComponent("keep"))
        let entries = [SafetensorsEntry(name: "w", shape: [1], scalars: [1])]
        #expect(throws: SafetensorsError.self) { try SafetensorsWriter.write(entries, to: target) }
        #expect(try directory.entryNames() == ["model.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["keep"])

        // A folder that does not exist: nothing is created.
        let missing = directory.file("absent/model.safetensors")
        do {
            try SafetensorsWriter.write(entries, to: missing)
            Issue.record("writing into a missing folder must fail")
        } catch {
            guard case .cannotWrite = error.problem else {
                Issue.record("expected cannotWrite, got \(error.problem)")
                return
            }
            #expect(error.description.contains("unchanged"))
        }
    }

    /// While one thread rewrites a 4 MB file again and again, another reads it as fast as it can:
    /// every read must see a complete, valid file (the old one or the new one).
    @Test func readersNeverSeeAPartialFile() throws {
        let directory = try TemporaryDirectory(label: "safetensors-writer")
        let url = directory.file("model.safetensors")
        let scalarCount = 1 << 20
        @Sendable func entries(_ step: Int) -> [SafetensorsEntry] {
            [
                SafetensorsEntry(
                    name: "w", shape: [scalarCount],
                    scalars: Array(repeating: Float(step), count: scalarCount))
            ]
        }
        try SafetensorsWriter.write(entries(0), metadata: ["step": "0"], to: url)
        let done = Flag()
        let writer = Thread {
            for step in 1...12 {
                try? SafetensorsWriter.write(entries(step), metadata: ["step": "\(step)"], to: url)
            }
            done.set()
        }
        writer.start()
        var reads = 0
        while !done.isSet {
            let file = try SafetensorsFile(contentsOf: url)
            let step = Float(file.metadata["step"] ?? "") ?? -1
            let scalars = try file.scalars(of: "w")
            #expect(scalars.count == scalarCount && scalars.first == step && scalars.last == step)
            reads += 1
        }
        #expect(reads > 0)
        #expect(try SafetensorsFile(contentsOf: url).metadata == ["step": "12"])
        #expect(try directory.entryNames() == ["model.safetensors"])
    }
}
