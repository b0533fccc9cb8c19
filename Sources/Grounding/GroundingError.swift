/// Errors of the grounding library. Each names the file or the input and says what to do, in the
/// library's words; a front end renders the inputs in its own words with `message(naming:)` (the
/// command line names its flags).
public enum GroundingError: Error, CustomStringConvertible, Equatable {
    /// No file at `path`, which `input` pointed to; `what` says what should be there.
    case missingFile(path: String, what: String, input: GroundingInput)
    /// A run directory's file is unreadable or inconsistent.
    case corruptRun(path: String, reason: String)
    /// The data is unusable in a way no single input explains; the message says how.
    case invalidInput(String)
    /// Inputs the work needs were not given; any of `alternatives` would also do.
    case missingInputs([GroundingInput], alternatives: [GroundingInput], reason: String)
    /// An input's value is out of range or of the wrong kind.
    case invalidValue(GroundingInput, value: String, expected: String)
    /// Inputs that cannot be given together (or not in this way); `reason` says why.
    case invalidCombination([GroundingInput], reason: String)
    /// A video's features are not of the kind or dimension the model was trained on.
    case featureMismatch(path: String, expected: String, actual: String)
    /// A prompt-tuned run's backbone file is not the one it was trained on.
    case backboneMismatch(path: String, expected: String, actual: String)
    /// A file or folder could not be written; `reason` is the system's.
    case cannotWrite(path: String, reason: String)
    /// Resuming a run with training settings other than the saved ones, not allowed.
    case changedOnResume([GroundingRunRequest.SettingChange])
    /// The run directory already holds files and replacing them was not asked for.
    case runDirectoryNotEmpty(path: String)
    /// Training produced a NaN or infinite loss (in batch `batch` of epoch `epoch`, both from
    /// 0) or parameters; nothing of that epoch was saved.
    case trainingDiverged(epoch: Int, batch: Int?, reason: String)

    /// The message in the library's words.
    public var description: String { message(naming: \.description) }

    /// The message with every input rendered by `name` (a flag, a field of a form, ...).
    public func message(naming name: (GroundingInput) -> String) -> String {
        switch self {
        case .missingFile(let path, let what, let input):
            return "\(path): no \(what) here; check \(name(input))"
        case .corruptRun(let path, let reason):
            return "\(path): \(reason); train again or use an intact run directory"
        case .invalidInput(let message):
            return message
        case .missingInputs(let inputs, let alternatives, let reason):
            let or = alternatives.isEmpty ? "" : " (or \(Self.list(alternatives.map(name))))"
            return "missing \(Self.list(inputs.map(name)))\(or): \(reason)"
        case .invalidValue(let input, let value, let expected):
            return "\(name(input)) is \(value); expected \(expected)"
        case .invalidCombination(let inputs, let reason):
            return "\(Self.list(inputs.map(name))): \(reason)"
        case .featureMismatch(let path, let expected, let actual):
            return "\(path): features are \(actual) but the model was trained on \(expected); "
                + "extract the same kind of features as in training"
        case .backboneMismatch(let path, let expected, let actual):
            return "\(path): this backbone's data checksum is \(actual) but the run was "
                + "prompt-tuned on a backbone with checksum \(expected); its prompts only work "
                + "with that backbone: restore the original file, or prompt-tune again on this one"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write (\(reason)); check that its folder exists and is "
                + "writable, that no folder has this file's name (or no file this folder's), "
                + "and that there is free space"
        case .changedOnResume(let changes):
            let saved = changes.map { "\(name($0.input)) \($0.saved)" }
            let requested = changes.map { "\(name($0.input)) \($0.requested)" }
            return "the run was trained with \(Self.list(saved)); resuming with "
                + "\(Self.list(requested)) would make a run no configuration describes: resume "
                + "without them, or resume "
                + changes.map { "\(name(.allowedChanges)) \(Self.bareName(name($0.input)))" }
                .joined(separator: " ")
        case .runDirectoryNotEmpty(let path):
            return "\(path): the run directory already holds files; resume its run, choose "
                + "another directory, or replace what it holds with \(name(.overwrite))"
        case .trainingDiverged(let epoch, let batch, let reason):
            let place = batch.map { "epoch \(epoch + 1), batch \($0 + 1)" } ?? "epoch \(epoch + 1)"
            return "training diverged in \(place): \(reason). Nothing of this epoch was saved: "
                + "the run directory keeps the last finite state. Lower \(name(.learningRate)) "
                + "and train again"
        }
    }

    /// A name without the leading dashes of a flag (`--epochs` → `epochs`).
    static func bareName(_ name: String) -> String {
        String(name.drop { $0 == "-" })
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        guard items.count > 1 else { return last }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }
}
