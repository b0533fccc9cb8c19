import Foundation
import TestSupport
import Testing

@testable import Tensors

/// The fixtures written by Scripts/make_safetensors_fixture.py with Python's `safetensors`.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

/// Writes a hand-made safetensors file: the header length (the real one unless overridden), the
/// header text and the data bytes.
private func handMadeFile(
    in directory: TemporaryDirectory, header: String, data: [UInt8] = [],
    headerLength: UInt64? = nil
) throws -> URL {
    var bytes = withUnsafeBytes(of: (headerLength ?? UInt64(header.utf8.count)).littleEndian) {
        Array($0)
    }
    bytes += Array(header.utf8) + data
    let url = directory.file("hand-made.safetensors")
    try Data(bytes).write(to: url)
    return url
}

/// The problem reported when opening `url`, or nil when it opens.
private func openingProblem(_ url: URL) -> SafetensorsError.Problem? {
    do {
        _ = try SafetensorsFile(contentsOf: url)
        return nil
    } catch {
        return error.problem
    }
}

@Suite struct SafetensorsTests {
    @Test func readsTheReferenceFixture() throws {
        let file = try SafetensorsFile(
            contentsOf: fixtures.appendingPathComponent("reference.safetensors"))
        #expect(file.metadata == ["format": "pt", "note": "PromptVTG fixture \u{e9}"])
        #expect(
            file.tensorNames == [
                "bfloat16_values", "empty", "float16_values", "float32_matrix", "position_ids",
                "scalar",
            ])
        #expect(try file.shape(of: "float32_matrix") == [2, 3])
        #expect(try file.dataType(of: "float32_matrix") == .float32)
        #expect(try file.scalars(of: "float32_matrix") == [0.5, -1.25, 3.0, 1e-3, 1e30, -7.0])
        #expect(try file.shape(of: "scalar") == [])
        #expect(try file.scalars(of: "scalar") == [42])
        #expect(try file.shape(of: "empty") == [0, 3])
        #expect(try file.scalars(of: "empty") == [])
        #expect(try file.dataType(of: "position_ids") == .int64)
        #expect(try file.shape(of: "position_ids") == [1, 4])
    }

    @Test func convertsHalfPrecisionExactly() throws {
        let file = try SafetensorsFile(
            contentsOf: fixtures.appendingPathComponent("reference.safetensors"))
        #expect(try file.dataType(of: "float16_values") == .float16)
        let values = try file.scalars(of: "float16_values")
        // 65504 is the largest F16; 2^-24 the smallest subnormal; 2^-14 the smallest normal.
        #expect(Array(values[0..<7]) == [1, -2.5, 65504, 0x1p-24, 0x1p-14, -0, .infinity])
        #expect(values[5].sign == .minus)
        #expect(values[7].isNaN)
    }

    @Test func convertsBrainFloatExactly() throws {
        let file = try SafetensorsFile(
            contentsOf: fixtures.appendingPathComponent("reference.safetensors"))
        #expect(try file.dataType(of: "bfloat16_values") == .bfloat16)
        #expect(try file.scalars(of: "bfloat16_values") == [1, -3.140625, 0x1p100])
    }

    @Test func convertsIntegerTensors() throws {
        let file = try SafetensorsFile(
            contentsOf: fixtures.appendingPathComponent("reference.safetensors"))
        #expect(try file.scalars(of: "position_ids") == [0, 1, 2, 3])
        // Integer tensors are left out of the float tensors a model loads.
        #expect(try file.floatTensors()["position_ids"] == nil)
        #expect(try file.tensors()["position_ids"]?.scalars == [0, 1, 2, 3])
    }

    @Test func convertsEveryOtherTypeInOnePlace() throws {
        // As Hugging Face files hold them: I64 position ids, F64, small integers and booleans.
        let directory = try TemporaryDirectory(label: "safetensors")
        let header =
            #"{"ids":{"dtype":"I64","shape":[3],"data_offsets":[0,24]},"#
            + #""double":{"dtype":"F64","shape":[1],"data_offsets":[24,32]},"#
            + #""small":{"dtype":"I8","shape":[2],"data_offsets":[32,34]},"#
            + #""flags":{"dtype":"BOOL","shape":[2],"data_offsets":[34,36]},"#
            + #""counts":{"dtype":"U16","shape":[1],"data_offsets":[36,38]}}"#
        var data: [UInt8] = []
        for value in [Int64(0), 1, -7] { withUnsafeBytes(of: value.littleEndian) { data += $0 } }
        withUnsafeBytes(of: (-0.25).bitPattern.littleEndian) { data += $0 }
        data += [0xFE, 0x05, 0x01, 0x00]  // I8 −2, 5; BOOL true, false
        withUnsafeBytes(of: UInt16(65535).littleEndian) { data += $0 }
        let file = try SafetensorsFile(
            contentsOf: try handMadeFile(in: directory, header: header, data: data))
        #expect(try file.scalars(of: "ids") == [0, 1, -7])
        #expect(try file.scalars(of: "double") == [-0.25])
        #expect(try file.scalars(of: "small") == [-2, 5])
        #expect(try file.scalars(of: "flags") == [1, 0])
        #expect(try file.scalars(of: "counts") == [65535])
        #expect(Set(try file.floatTensors().keys) == ["double"])
        #expect(try file.dataSection() == data)
    }

    @Test func refusesToConvertEightBitFloats() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = try handMadeFile(
            in: directory, header: #"{"f8":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#,
            data: [0x38])
        let file = try SafetensorsFile(contentsOf: url)
        #expect(
            throws: SafetensorsError(
                path: url.path,
                problem: .unsupportedDataType(tensor: "f8", dataType: .float8E4M3))
        ) {
            try file.scalars(of: "f8")
        }
    }

    @Test func reportsAMissingTensorByName() throws {
        let url = fixtures.appendingPathComponent("reference.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        let expected = SafetensorsError(
            path: url.path, problem: .tensorNotFound(name: "nope", availableCount: 6))
        #expect(throws: expected) { try file.shape(of: "nope") }
        #expect(expected.description.contains("'nope'"))
    }

    @Test func reportsFilesThatCannotBeOpened() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        guard case .cannotRead = openingProblem(directory.file("missing.safetensors")) else {
            Issue.record("a missing file must be reported as cannotRead")
            return
        }
        guard case .cannotRead(let reason) = openingProblem(directory.url) else {
            Issue.record("a directory must be reported as cannotRead")
            return
        }
        #expect(reason == "not a regular file")
    }

    /// A file truncated by someone else after opening gives an error naming the problem, not a
    /// crash (as reading through a memory map would).
    @Test func aFileTruncatedWhileOpenIsAnError() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = directory.file("model.safetensors")
        try SafetensorsWriter.write(
            [SafetensorsEntry(name: "w", shape: [1024], scalars: Array(repeating: 1, count: 1024))],
            to: url)
        let file = try SafetensorsFile(contentsOf: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 100)
        try handle.close()
        do {
            _ = try file.scalars(of: "w")
            Issue.record("reading past the new end of the file must fail")
        } catch {
            guard case .cannotRead(let reason) = error.problem else {
                Issue.record("expected cannotRead, got \(error.problem)")
                return
            }
            #expect(reason.contains("truncated"))
        }
    }

    @Test func rejectsATruncatedFile() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = directory.file("short.safetensors")
        try Data([1, 2, 3, 4, 5]).write(to: url)
        #expect(openingProblem(url) == .truncatedFile(byteCount: 5))
        try Data().write(to: url)
        #expect(openingProblem(url) == .truncatedFile(byteCount: 0))
    }

    @Test func rejectsAHeaderLengthPastTheEnd() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = try handMadeFile(in: directory, header: "{}", headerLength: 1000)
        #expect(
            openingProblem(url)
                == .headerLengthPastEnd(headerLength: 1000, bytesAfterLengthField: 2))
        let huge = try handMadeFile(in: directory, header: "{}", headerLength: .max)
        #expect(
            openingProblem(huge)
                == .headerLengthPastEnd(headerLength: .max, bytesAfterLengthField: 2))
    }

    @Test func rejectsBadJSON() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = try handMadeFile(in: directory, header: #"{"a": {"dtype": "F32",  "#)
        guard case .invalidHeaderJSON(let offset, _) = openingProblem(url) else {
            Issue.record("an unterminated object must be reported as invalidHeaderJSON")
            return
        }
        #expect(offset == 24)
        let notAnObject = try handMadeFile(in: directory, header: "[1, 2]")
        #expect(
            openingProblem(notAnObject)
                == .invalidHeader(key: "(top level)", reason: "expected an object, found an array"))
    }

    @Test func rejectsAnUnknownDataType() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = try handMadeFile(
            in: directory, header: #"{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#,
            data: Array(repeating: 0, count: 16))
        #expect(openingProblem(url) == .unknownDataType(tensor: "a", dataType: "F128"))
    }

    @Test func rejectsOffsetsPastTheData() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = try handMadeFile(
            in: directory, header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
            data: Array(repeating: 0, count: 8))
        #expect(
            openingProblem(url)
                == .offsetsOutOfRange(tensor: "a", begin: 0, end: 16, dataByteCount: 8))
    }

    @Test func rejectsOverlappingTensors() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let header =
            #"{"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"#
            + #""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let url = try handMadeFile(
            in: directory, header: header, data: Array(repeating: 0, count: 12))
        #expect(openingProblem(url) == .overlappingTensors("a", "b"))
    }

    @Test func rejectsBytesThatBelongToNoTensor() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let gap =
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let gapFile = try handMadeFile(
            in: directory, header: gap, data: Array(repeating: 0, count: 12))
        #expect(openingProblem(gapFile) == .uncoveredBytes(begin: 4, end: 8))
        let trailing = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let trailingFile = try handMadeFile(
            in: directory, header: trailing, data: Array(repeating: 0, count: 8))
        #expect(openingProblem(trailingFile) == .uncoveredBytes(begin: 4, end: 8))
        let leading = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let leadingFile = try handMadeFile(
            in: directory, header: leading, data: Array(repeating: 0, count: 8))
        #expect(openingProblem(leadingFile) == .uncoveredBytes(begin: 0, end: 4))
    }

    @Test func rejectsAShapeThatDisagreesWithTheOffsets() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let url = try handMadeFile(
            in: directory, header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
            data: Array(repeating: 0, count: 8))
        #expect(
            openingProblem(url)
                == .shapeSizeMismatch(
                    tensor: "a", shape: [3], dataType: .float32, expectedByteCount: 12,
                    actualByteCount: 8))
        let overflowing = try handMadeFile(
            in: directory,
            header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#,
            data: Array(repeating: 0, count: 8))
        guard case .invalidHeader(let key, _) = openingProblem(overflowing) else {
            Issue.record("an overflowing element count must be reported as invalidHeader")
            return
        }
        #expect(key == "a.shape")
    }

    @Test func rejectsDuplicateNames() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let tensor = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        let url = try handMadeFile(
            in: directory, header: #"{"a":\#(tensor),"a":\#(tensor)}"#,
            data: Array(repeating: 0, count: 4))
        #expect(openingProblem(url) == .duplicateTensorName("a"))
        let metadata = try handMadeFile(
            in: directory, header: #"{"__metadata__":{"k":"1","k":"2"}}"#)
        #expect(openingProblem(metadata) == .duplicateTensorName("__metadata__.k"))
    }

    @Test func rejectsMalformedTensorEntries() throws {
        let directory = try TemporaryDirectory(label: "safetensors")
        let cases: [(header: String, key: String)] = [
            (#"{"a":{"dtype":"F32","data_offsets":[0,0]}}"#, "a.shape"),
            (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, "a.shape"),
            (#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,0]}}"#, "a.shape"),
            (#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, "a.data_offsets"),
            (#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0]}}"#, "a.data_offsets"),
            (#"{"a":{"dtype":32,"shape":[0],"data_offsets":[0,0]}}"#, "a.dtype"),
            (#"{"a":[1]}"#, "a"),
            (#"{"__metadata__":{"epoch":3}}"#, "__metadata__.epoch"),
            (#"{"__metadata__":"x"}"#, "__metadata__"),
        ]
        for (header, expectedKey) in cases {
            let url = try handMadeFile(in: directory, header: header)
            guard case .invalidHeader(let key, _) = openingProblem(url) else {
                Issue.record("\(header) must be reported as invalidHeader")
                continue
            }
            #expect(key == expectedKey, "\(header)")
        }
    }

    @Test func acceptsPaddingAndUnalignedData() throws {
        // A header of odd length (no padding) puts F32 data at an odd file offset.
        let directory = try TemporaryDirectory(label: "safetensors")
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"# + "   "
        let data = [Float(1.5), -2].flatMap { value in
            withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        }
        let url = try handMadeFile(in: directory, header: header, data: data)
        #expect(try SafetensorsFile(contentsOf: url).scalars(of: "a") == [1.5, -2])
    }

    @Test func errorMessagesNameTheFileAndWhatToDo() {
        let error = SafetensorsError(
            path: "/models/x.safetensors",
            problem: .offsetsOutOfRange(tensor: "w", begin: 0, end: 64, dataByteCount: 32))
        #expect(error.description.hasPrefix("/models/x.safetensors: tensor 'w'"))
        #expect(error.description.contains("re-export or re-download"))
    }
}
