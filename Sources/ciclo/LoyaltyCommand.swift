import ArgumentParser
import CicloCore
import CicloEngine
import CicloStore
import Foundation

/// `ciclo loyalty apply|verify|run|show`: the loyalty program as code, the ledger check and the nightly jobs.
struct LoyaltyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loyalty", abstract: "The loyalty program: apply it, check the ledger, run the nightly jobs.",
        subcommands: [Apply.self, Verify.self, Run.self, Show.self])

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a program document (JSON) and make it the workspace's program.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Argument(help: "The program JSON file.") var file: String
        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CicloError.badRequest("file_not_found", "Cannot read \(file).") }
            let json: JSONValue
            do { json = try JSONParser.parse(data) } catch let e as JSONParser.SyntaxError {
                throw CicloError.badRequest("invalid_json", "\(file) is not valid JSON: \(e.description).")
            }
            _ = try LoyaltyProgram.parse(json)  // refuse a bad file before touching the database
            try await withWorkspace(db, workspace) { store, id in
                let program = try await store.applyLoyaltyProgram(workspaceId: id, json)
                say("Loyalty program applied: \(program.pointsPerUnit) point(s) per unit (\(program.rounding.rawValue)), \(program.tiers.count) tiers, "
                    + "\(program.rewards.count) rewards, \(program.pendingDays)-day pending period.")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute every member's balances from the ledger and report differences.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        @Flag(help: "Rewrite the cached balances that differ.") var repair = false
        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in
                let check = try await store.verifyLoyalty(workspaceId: id, repair: repair)
                say("\(check.accounts) accounts checked, \(check.discrepancies.count) with differences.")
                for d in check.discrepancies.prefix(20) {
                    say("  profile \(d.profileId): cached balance/pending/lifetime \(d.cached), ledger says \(d.recomputed)"
                        + (d.ledgerMismatch ? " (entries and lots disagree: not repairable here)" : ""))
                }
                if repair, !check.discrepancies.isEmpty { say("Caches rewritten.") }
                if !repair, !check.discrepancies.isEmpty { throw ExitCode(2) }
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the nightly jobs now (maturing, expiry, warnings, tiers, birthdays, referrals).")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in try printJSON(try await store.runLoyaltyJobs(workspaceId: id)) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the workspace's program as JSON.")
        @OptionGroup var db: DatabaseOption
        @Option(help: "The workspace.") var workspace = "default"
        func run() async throws {
            try await withWorkspace(db, workspace) { store, id in
                guard let program = try await store.loyaltyProgram(workspaceId: id) else {
                    throw CicloError(.notFound, code: "loyalty_off", "No loyalty program yet; apply one with `ciclo loyalty apply FILE`.")
                }
                say(program.json.prettyJSONText)
            }
        }
    }
}
