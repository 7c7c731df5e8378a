import ArgumentParser
import CicloCore
import Foundation

/// The `ciclo` command line: one binary that serves, migrates, imports, exports, generates demo data and benchmarks.
@main
struct CicloCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ciclo",
        abstract: "Ciclo: self-hosted lifecycle marketing.",
        version: CicloVersion.current,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, WorkspaceCommand.self, SourceCommand.self, TokenCommand.self,
            DemoCommand.self, ImportCommand.self, ExportCommand.self, ProfilesCommand.self, SegmentsCommand.self,
            RFMCommand.self, LifecycleCommand.self, JourneyCommand.self, UserCommand.self, PredictCommand.self, LoyaltyCommand.self, RecommendCommand.self, ReportCommand.self, AnalyticsCommand.self, BenchCommand.self,
        ])

    /// Runs the command, printing failures as one line on standard error with a non-zero exit.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CicloError {
            FileHandle.standardError.write(Data("ciclo: \(error.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
