/// One of `count` parts of a corpus: shard `index` takes the videos at positions index,
/// index + count, index + 2·count, … of the list sorted by video id, so that `count` processes
/// sharing one output folder extract every video exactly once.
///
/// Given as `--shard i/n` (0 ≤ i < n), or taken from the launcher that started the process:
/// `mpirun` (`OMPI_COMM_WORLD_RANK`/`OMPI_COMM_WORLD_SIZE`), MPICH and Intel MPI's Hydra
/// (`PMI_RANK`/`PMI_SIZE`), or a Slurm job array (`SLURM_ARRAY_TASK_ID` less
/// `SLURM_ARRAY_TASK_MIN`, over `SLURM_ARRAY_TASK_COUNT`).
public struct ExtractionShard: Sendable, Equatable, CustomStringConvertible {
    /// This shard, 0-based.
    public let index: Int
    /// The number of shards.
    public let count: Int

    /// The whole corpus in one process.
    public static let whole = ExtractionShard(index: 0, count: 1)

    /// Shard `index` of `count` (0 ≤ index < count).
    public init(index: Int, count: Int) {
        precondition(
            count >= 1 && (0..<count).contains(index),
            "ExtractionShard: shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// Reads "i/n" (`source` names where the text came from, for the error).
    public init(parsing text: String, source: String = "--shard") throws(ExtractionError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (0..<count).contains(index)
        else { throw .invalidShard(source: source, value: text) }
        self.init(index: index, count: count)
    }

    /// "i/n".
    public var description: String { "\(index)/\(count)" }

    /// True when the video at `position` of the sorted list belongs to this shard.
    public func contains(position: Int) -> Bool { position % count == index }

    /// The shard a launcher's variables describe, nil when none is set. Checked in the order
    /// Open MPI, PMI, Slurm array; a set variable that does not describe a shard is an error.
    public static func fromEnvironment(_ environment: [String: String]) throws(ExtractionError)
        -> ExtractionShard?
    {
        let pairs = [
            ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMI_RANK", "PMI_SIZE"),
            ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"),
        ]
        for (rankName, sizeName) in pairs {
            guard let rankText = environment[rankName], let sizeText = environment[sizeName]
            else { continue }
            let source = "\(rankName)/\(sizeName)"
            guard var rank = Int(rankText), let size = Int(sizeText) else {
                throw .invalidShard(source: source, value: "\(rankText)/\(sizeText)")
            }
            // Slurm numbers array tasks from the array's first index (`--array=1-8`).
            if rankName == "SLURM_ARRAY_TASK_ID" {
                guard let minimum = Int(environment["SLURM_ARRAY_TASK_MIN"] ?? "0") else {
                    throw .invalidShard(
                        source: "SLURM_ARRAY_TASK_MIN",
                        value: environment["SLURM_ARRAY_TASK_MIN"] ?? "")
                }
                rank -= minimum
            }
            return try ExtractionShard(parsing: "\(rank)/\(size)", source: source)
        }
        return nil
    }
}
