import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo import profiles|events FILE`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import profiles or events from CSV through the event log.",
        subcommands: [Profiles.self, Events.self, ProductsImport.self, ContentImport.self])

    struct Options: ParsableArguments {
        @OptionGroup var db: DatabaseOption
        @Argument(help: "The file to import.") var file: String
        @Option(help: "Workspace to import into.") var workspace = "default"
        @Option(help: "Column mapping: target=Column pairs, such as email=Email,first_name=First Name.") var map: String?
        @Option(help: "Where rejected rows go (default FILE.rejects.csv).") var rejects: String?
        @Flag(name: .customLong("no-process"), help: "Leave profile processing to a running server.") var noProcess = false
    }

    struct Profiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import people: one identify per row.")
        @OptionGroup var options: Options
        func run() async throws { try await runImport(options, kind: .profiles, preset: .csv) }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import events: one event per row (or an order per row with a preset).")
        @OptionGroup var options: Options
        @Option(help: "csv (a header row, with an event column), orders (order exports) or cdnow (the CDNOW format).")
        var preset = "csv"
        func run() async throws {
            guard let parsed = CSVImporter.Preset(rawValue: preset) else {
                throw CicloError.badRequest("invalid_preset", "--preset must be one of csv, orders, cdnow.")
            }
            try await runImport(options, kind: .events, preset: parsed)
        }
    }
}

func runImport(_ options: ImportCommand.Options, kind: CSVImportMapping.Kind, preset: CSVImporter.Preset) async throws {
    guard FileManager.default.isReadableFile(atPath: options.file) else {
        throw CicloError.badRequest("file_not_found", "Cannot read \(options.file).")
    }
    let store = try await options.db.openStore()
    do {
        let workspace = try await store.workspace(named: options.workspace)
        let (resolvedKind, presetColumns) = preset.mapping(kind: kind)
        let columns = presetColumns.merging(try CSVImportMapping.parseMap(options.map)) { _, explicit in explicit }
        let mapping = CSVImportMapping(kind: resolvedKind, columns: columns, workspaceId: workspace.id, now: Date())
        let progress = ProgressLine(total: 0, unit: "rows")
        let report = try await CSVImporter(store: store, mapping: mapping, preset: preset).run(
            path: options.file, rejectsPath: options.rejects ?? options.file + ".rejects.csv",
            progress: { progress.update($0, $0) })
        progress.finish()
        var summary = "Imported \(report.imported) of \(report.rows) rows into \(options.workspace)"
        if report.duplicates > 0 { summary += "; \(report.duplicates) already imported" }
        if let file = report.rejectsFile { summary += "; \(report.rejected) rejected (see \(file))" }
        say(summary + ".")
        if !options.noProcess {
            let applied = try await ProfileProcessor(store: store, logger: CommandLogging.quiet).catchUp(workspaceId: workspace.id)
            say("Applied \(applied) events to profiles; \(try await store.profileCount(workspaceId: workspace.id)) profiles.")
        }
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}
