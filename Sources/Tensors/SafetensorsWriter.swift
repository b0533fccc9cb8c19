import Foundation
import VTGCore

/// One tensor to write: its name, shape and row-major Float32 elements.
public struct SafetensorsEntry: Sendable {
    /// The tensor's name in the header (a Hugging Face parameter path, for instance).
    public let name: String
    /// The shape; `[]` is a scalar (one element), a zero dimension an empty tensor.
    public let shape: [Int]
    /// The elements in row-major order; as many as the shape holds.
    public let scalars: [Float]

    /// Creates an entry; the shape must hold exactly `scalars.count` elements.
    public init(name: String, shape: [Int], scalars: [Float]) {
        precondition(
            shape.allSatisfy { $0 >= 0 },
            "SafetensorsEntry '\(name)': negative dimension in shape \(shape)")
        let elementCount = shape.reduce(1, *)
        precondition(
            elementCount == scalars.count,
            "SafetensorsEntry '\(name)': shape \(shape) holds \(elementCount) elements but"
                + " \(scalars.count) scalars were given")
        self.name = name
        self.shape = shape
        self.scalars = scalars
    }
}

/// Writes Float32 safetensors files atomically, laid out as the reference `safetensors` package
/// lays them out: PromptVTG's one safetensors writer (checkpoints are written through it).
///
/// Layout: tensors sorted by name (UTF-8 byte order) with contiguous offsets, compact JSON header
/// with `__metadata__` first (omitted when empty), padded with spaces to a multiple of 8 bytes.
/// For the same tensors and at most one metadata key (the reference orders several keys by hash),
/// the bytes are identical to those of Python's `safetensors.numpy.save_file`.
///
/// Atomic: the file is written to a temporary file in the same folder, flushed to disk (`fsync`),
/// then renamed over the target, and the folder is synced. Readers see the old file or the new
/// one, never a partial one, and a crash leaves at most a hidden `.NAME.tmp-*` file behind.
public enum SafetensorsWriter {
    /// Writes `entries` and `metadata` to `url`, replacing any file there.
    ///
    /// Throws `invalidEntry` for duplicate names or the reserved name `__metadata__` (before
    /// touching the disk), and `cannotWrite` when the system refuses (the target is then unchanged).
    public static func write(
        _ entries: [SafetensorsEntry], metadata: [String: String] = [:], to url: URL
    ) throws(SafetensorsError) {
        let path = url.path
        let ordered = fileOrder(entries)
        for (index, entry) in ordered.enumerated() {
            if entry.name == "__metadata__" {
                throw SafetensorsError(
                    path: path,
                    problem: .invalidEntry(
                        name: entry.name, reason: "the name is reserved for the metadata map"))
            }
            if index > 0, ordered[index - 1].name.utf8.elementsEqual(entry.name.utf8) {
                throw SafetensorsError(
                    path: path,
                    problem: .invalidEntry(name: entry.name, reason: "two entries have this name"))
            }
        }
        let header = headerBytes(ordered, metadata: metadata)
        do {
            try AtomicFileWriter.write(to: path) { (file) throws(FileSystemError) in
                try file.write(contentsOf: [UInt64(header.count).littleEndian])
                try file.write(contentsOf: header)
                for entry in ordered {
                    #if _endian(little)
                        try file.write(contentsOf: entry.scalars)
                    #else
                        try file.write(contentsOf: entry.scalars.map { $0.bitPattern.littleEndian })
                    #endif
                }
            }
        } catch {
            throw SafetensorsError(path: path, problem: .cannotWrite(reason: error.reason))
        }
    }

    /// `entries` in the order `write` lays them out in the data section: sorted by name (UTF-8
    /// byte order).
    public static func fileOrder(_ entries: [SafetensorsEntry]) -> [SafetensorsEntry] {
        entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The JSON header for tensors already in file order, padded with spaces to a multiple of 8.
    static func headerBytes(_ ordered: [SafetensorsEntry], metadata: [String: String]) -> [UInt8] {
        var members: [JSONMember] = []
        if !metadata.isEmpty {
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            members.append(
                JSONMember(
                    "__metadata__",
                    .object(keys.map { JSONMember($0, .string(metadata[$0] ?? "")) })))
        }
        var offset = 0
        for entry in ordered {
            let byteCount = entry.scalars.count * MemoryLayout<Float>.size
            members.append(
                JSONMember(
                    entry.name,
                    .object([
                        JSONMember("dtype", .string(SafetensorsDataType.float32.rawValue)),
                        JSONMember("shape", .array(entry.shape.map { .number($0) })),
                        JSONMember(
                            "data_offsets", .array([.number(offset), .number(offset + byteCount)])),
                    ])))
            offset += byteCount
        }
        // Compact, as serde_json (the reference's serializer) writes it.
        var json = JSONValue.object(members).serializedBytes(spacing: .compact)
        // Pad so that the data section starts 8-byte aligned (8 + header length ≡ 0 mod 8).
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        return json
    }
}
