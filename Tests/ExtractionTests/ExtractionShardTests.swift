import Extraction
import Testing

@Suite struct ExtractionShardTests {
    @Test func parsesIndexOverCount() throws {
        #expect(try ExtractionShard(parsing: "0/4") == ExtractionShard(index: 0, count: 4))
        #expect(try ExtractionShard(parsing: "3/4").description == "3/4")
    }

    @Test(arguments: ["4/4", "-1/2", "1", "a/b", "1/0", "1/2/3", ""])
    func rejectsTextThatIsNoShard(text: String) {
        #expect(throws: ExtractionError.self) { try ExtractionShard(parsing: text) }
    }

    @Test func takesEveryNthPosition() {
        let shard = ExtractionShard(index: 1, count: 3)
        #expect((0..<9).filter { shard.contains(position: $0) } == [1, 4, 7])
        #expect((0..<3).allSatisfy { ExtractionShard.whole.contains(position: $0) })
    }

    @Test func comesFromTheLauncherEnvironment() throws {
        #expect(try ExtractionShard.fromEnvironment([:]) == nil)
        #expect(
            try ExtractionShard.fromEnvironment([
                "OMPI_COMM_WORLD_RANK": "2", "OMPI_COMM_WORLD_SIZE": "8",
            ]) == ExtractionShard(index: 2, count: 8))
        #expect(
            try ExtractionShard.fromEnvironment(["PMI_RANK": "0", "PMI_SIZE": "2"])
                == ExtractionShard(index: 0, count: 2))
        // Open MPI's variables win over PMI's when both are set.
        #expect(
            try ExtractionShard.fromEnvironment([
                "PMI_RANK": "0", "PMI_SIZE": "2", "OMPI_COMM_WORLD_RANK": "1",
                "OMPI_COMM_WORLD_SIZE": "2",
            ]) == ExtractionShard(index: 1, count: 2))
    }

    @Test func slurmArrayTasksCountFromTheArraysFirstIndex() throws {
        #expect(
            try ExtractionShard.fromEnvironment([
                "SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4",
            ]) == ExtractionShard(index: 3, count: 4))
        // `sbatch --array=1-4`: tasks 1…4 are shards 0…3.
        #expect(
            try ExtractionShard.fromEnvironment([
                "SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4",
                "SLURM_ARRAY_TASK_MIN": "1",
            ]) == ExtractionShard(index: 3, count: 4))
    }

    @Test func aLauncherVariableThatIsNoShardIsAnErrorNamingIt() {
        do {
            _ = try ExtractionShard.fromEnvironment([
                "OMPI_COMM_WORLD_RANK": "8", "OMPI_COMM_WORLD_SIZE": "8",
            ])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("OMPI_COMM_WORLD_RANK"))
        }
    }
}
