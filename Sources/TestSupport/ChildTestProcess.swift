import Foundation
import Testing

/// Runs a test's body in a child copy of the running test binary: for measurements of the whole
/// process (resident memory belongs to the process, and other tests run in parallel) and for
/// killing it mid-work. The child is this binary filtered to the one test, with an environment
/// variable set that tells the test it is the child.
public enum ChildTestProcess {
    /// The child running the test `testName` (`"Suite/test"`) with `variable` set to `value`,
    /// not yet started.
    public static func make(testName: String, variable: String, value: String) -> Process {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", testName]
        var environment = ProcessInfo.processInfo.environment
        environment[variable] = value
        child.environment = environment
        return child
    }

    /// Runs the child to its end and expects it to pass: its expectations decide its exit
    /// status, and its output must show that it ran the test rather than matched nothing.
    public static func runExpectingSuccess(
        testName: String, variable: String, value: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let child = make(testName: testName, variable: variable, value: value)
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        let testFunction = testName.split(separator: "/").last.map { "\($0)()" } ?? testName
        #expect(
            child.terminationStatus == 0, "the child process failed:\n\(log)",
            sourceLocation: sourceLocation)
        #expect(
            log.contains(testFunction) && log.contains("passed"), "child output:\n\(log)",
            sourceLocation: sourceLocation)
    }
}
