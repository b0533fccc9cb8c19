import ArgumentParser
import Grounding
import Metrics
import Tensors
import Testing
import VTGCore

@testable import vtg

@Suite struct TrainCommandTests {
    static let data = ["--dataset", "charades-sta", "--annotations", "a", "--features", "f"]

    @Test func absentOptionsLeaveTheLibraryDefaults() throws {
        let command = try TrainCommand.parse(Self.data + ["--out", "run"])
        let request = command.request
        #expect(request.epochs == nil && request.batchSize == nil && request.learningRate == nil)
        #expect(request.hiddenSize == nil && request.dropKey == nil && request.bestMetric == nil)
        #expect(request.trainingConfiguration == GroundingTrainingConfiguration.defaults)
        #expect(request.promptConfiguration == PromptTuningConfiguration.defaults)
        #expect(request.pretrainingConfiguration == PretrainingConfiguration.defaults)
        #expect(request.fusionAttentionDropout == nil)
        #expect(request.resumeDirectory == nil)
        #expect(request.textPrecision == nil)
    }

    @Test func optionsBecomeTheRequest() throws {
        let command = try TrainCommand.parse(
            Self.data + [
                "--out", "run", "--epochs", "3", "--best-metric", "mIoU", "--text-encoder",
                "scratch", "--prompt-init", "text:\"open the door\"", "--drop-key", "0.3",
                "--stage", "pretrain", "--vtm", "allinone", "--resume",
            ])
        let request = command.request
        #expect(request.epochs == 3)
        #expect(request.bestMetric == .meanIoU)
        #expect(request.textEncoder == .scratch)
        #expect(request.promptInitialization == .text("open the door"))
        #expect(request.fusionAttentionDropout == .linearDropKey(first: 0.3, last: 0.1))
        #expect(request.stage == .pretrain && request.matchingStyle == .allinone)
        #expect(request.resumeDirectory == "run")
        #expect(
            try TrainCommand.parse(Self.data + ["--out", "run", "--precision", "bf16"]).request
                .textPrecision == .bf16)
    }

    @Test func invalidOptionsAreRefusedInFlags() {
        func message(_ arguments: [String]) -> String? {
            do {
                _ = try TrainCommand.parse(arguments + ["--out", "run"])
                return nil
            } catch {
                return TrainCommand.message(for: error)
            }
        }
        #expect(message(Self.data + ["--epochs", "0"]) == "--epochs is 0; expected at least 1")
        #expect(
            message(Self.data + ["--text-encoder", "scratch", "--precision", "int8"])
                == "--precision and --text-encoder: the from-scratch text encoder has no frozen"
                + " states to compute at int8")
        #expect(message(Self.data + ["--batch-size", "0"])?.hasPrefix("--batch-size is 0") == true)
        #expect(
            message(Self.data + ["--drop-key", "0.2", "--attention-dropout", "0.1"])
                == "--drop-key and --attention-dropout: give one of the two, not both")
        #expect(
            message(Self.data + ["--hidden-size", "30"])
                == "--hidden-size is 30; expected a positive multiple of 4 (the attention heads)")
        #expect(
            message(["--dataset", "tacos"])
                == "missing --annotations and --features (or --init): a new run reads its data "
                + "from them")
        #expect(message(Self.data + ["--tuning", "prompt"])?.hasPrefix("missing --init:") == true)
        #expect(
            message(["--init", "p", "--hidden-size", "64", "--video-layers", "2"])
                == "--init, --hidden-size and --video-layers: the model's shape comes from the "
                + "pretraining run; drop the others")
        #expect(
            message(["--init", "p", "--stage", "pretrain"])?.hasPrefix("--stage and --init:")
                == true)
        #expect(
            message([
                "--init", "p", "--tuning", "prompt", "--fusion-prompt", "0", "--deep-prompt", "0",
            ])
                == "--text-prompt, --fusion-prompt and --deep-prompt: prompt tuning needs at least "
                + "one prompt: give one a length above 0")
        // Choices the library does not know are refused by the parser itself.
        #expect(message(Self.data + ["--text-encoder", "bert"]) != nil)
        #expect(message(Self.data + ["--best-metric", "R0@0.5"]) != nil)
        #expect(message(Self.data + ["--prompt-init", "random"]) != nil)
        // Resuming needs nothing but the run directory.
        #expect(message(["--resume"]) == nil)
    }

    @Test func hostileOptionValuesAreRefusedInFlagsNotTrapped() {
        func message(_ arguments: [String], out: String = "run") -> String? {
            do {
                _ = try TrainCommand.parse(Self.data + arguments + ["--out", out])
                return nil
            } catch {
                return TrainCommand.message(for: error)
            }
        }
        #expect(message(["--threads", "0"]) == "--threads is 0; expected at least 1")
        #expect(
            message(["--learning-rate", "nan"])
                == "--learning-rate is nan; expected a finite number above 0")
        #expect(message(["--learning-rate", "inf"])?.hasPrefix("--learning-rate is inf") == true)
        #expect(
            message(["--weight-decay", "nan"])
                == "--weight-decay is nan; expected a finite number of 0 or more")
        #expect(message(["--fusion-layers", "0"]) == "--fusion-layers is 0; expected at least 1")
        // A negative number is the option's value, refused by the library in its words (not
        // ArgumentParser's "Missing value").
        #expect(message(["--epochs", "-1"]) == "--epochs is -1; expected at least 1")
        #expect(message(["--batch-size", "-8"])?.hasPrefix("--batch-size is -8") == true)
        #expect(message([], out: "")?.hasPrefix("--out is ''; expected a directory path") == true)
        #expect(message(["--best-metric", "bogus"]) != nil)
    }

    @Test func theRunDirectoryOfTrainingIsItsOutputFlag() {
        let error = GroundingError.missingFile(
            path: "run/run.json", what: "run configuration", input: .runDirectory)
        #expect(
            CommandSupport.message(for: error, renaming: TrainCommand.renamed)
                == "run/run.json: no run configuration here; check --out")
        #expect(
            CommandSupport.message(for: error)
                == "run/run.json: no run configuration here; check --run")
    }

    @Test func theHelpShowsTheLibrarysDefaults() {
        let help = TrainCommand.helpMessage(columns: 1000)
        let training = GroundingTrainingConfiguration.defaults
        #expect(help.contains("Training epochs (default \(training.epochs))."))
        #expect(help.contains("(default \(training.bestMetric))"))
        #expect(
            help.contains("Model width (default \(GroundingModelConfiguration.standardHiddenSize))")
        )
        #expect(help.contains("(default \(GroundingModelConfiguration.standardFusionDropKey))"))
        #expect(help.contains("charades-sta 2, activitynet 3, tacos 3, qvhighlights 2"))
    }
}

extension TrainCommandTests {
    @Test func resumeChangesAndOverwritingAreSaidInFlags() throws {
        let change = GroundingError.changedOnResume([
            .init(input: .epochs, saved: "3", requested: "5"),
            .init(input: .learningRate, saved: "0.002", requested: "0.01"),
        ])
        #expect(
            CommandSupport.message(for: change, renaming: TrainCommand.renamed)
                == "the run was trained with --epochs 3 and --learning-rate 0.002; resuming with "
                + "--epochs 5 and --learning-rate 0.01 would make a run no configuration "
                + "describes: resume without them, or resume --allow-change epochs "
                + "--allow-change learning-rate")
        #expect(
            CommandSupport.message(for: GroundingError.runDirectoryNotEmpty(path: "runs/a"))
                == "runs/a: the run directory already holds files; resume its run, choose "
                + "another directory, or replace what it holds with --overwrite")
        let command = try TrainCommand.parse(
            Self.data + [
                "--out", "r", "--resume", "--allow-change", "epochs",
                "--allow-change", "seed",
            ])
        #expect(try command.allowedChanges == [.epochs, .seed])
        #expect(throws: (any Error).self) {
            try TrainCommand.parse(Self.data + ["--out", "r", "--allow-change", "colour"])
        }
    }
}
