import ArgumentParser
import CicloCore
import CicloStore
import Foundation

/// `ciclo bench loyalty`: orders and refunds replayed into the ledger, a member's view under load, and the nightly
/// jobs (maturing, expiry, tier term ends) over every member.
struct LoyaltyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "loyalty", abstract: "Points ledger throughput, member view latency, nightly jobs.")

    @Option(help: "Orders to replay.") var orders = 1_000_000
    @Option(help: "Refunds among them (partial and full).") var refunds = 200_000
    @Option(help: "Members the orders belong to.") var members = 300_000
    @Option(help: "Orders per transaction.") var batch = 1_000
    @Option(help: "Engine: omit for SQLite, or a postgres:// server URL.") var database: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        guard members >= 1, orders >= 1, refunds >= 0, refunds <= orders, batch >= 1 else {
            throw CicloError.badRequest("invalid_parameters", "--members, --orders and --batch are at least 1; --refunds is 0 to --orders.")
        }
        var report = BenchReport(benchmark: "loyalty", engine: BenchDatabases.engine(database),
                                 parameters: ["orders": "\(orders)", "refunds": "\(refunds)", "members": "\(members)"])
        let clock = ManualClock(ISO8601.parse("2027-01-01T00:00:00Z")!)
        let store = try await Store.open(try await BenchDatabases.fresh(base: database, label: "loyalty"), clock: clock, logger: CommandLogging.quiet)
        defer { Task { await store.close() } }
        _ = try await store.createWorkspace(named: "bench")
        let ws = try await store.workspace(named: "bench").id
        try await store.applyLoyaltyProgram(workspaceId: ws, ["pendingDays": 30, "expiryDays": 365, "tierTermMonths": 12,
                                                             "rewards": [["key": "5off", "cost": 500, "kind": "amount-off", "value": 5]]])
        // Members are people of the workspace (the ledger refuses anyone else): one identify each, processed.
        var started = ContinuousClock.now
        let people = try await Self.createMembers(members, store: store, workspaceId: ws, clock: clock)
        report.add("create \(people.count) members (identify, process)", (ContinuousClock.now - started).seconds, "s")
        var rng = SeededRandom(seed: 7)
        let start = clock.now().epochMilliseconds
        // Orders spread over 60 days; amounts roughly log-normal around 60.
        let plan: [(order: String, member: Int64, amount: Double, at: Int64)] = (0..<orders).map { i in
            let amount = (rng.logNormal(median: 60, sigma: 0.6) * 100).rounded() / 100
            return ("o\(i)", people[Int(rng.next() % UInt64(people.count))], amount, start + Int64(i) * (60 * 86_400_000 / Int64(max(1, orders))))
        }
        started = ContinuousClock.now
        var entries = 0
        for chunk in stride(from: 0, to: plan.count, by: batch) {
            let slice = Array(plan[chunk..<min(chunk + batch, plan.count)])
            clock.set(Date(epochMilliseconds: slice.last!.at))
            entries += try await store.withLedger(workspaceId: ws) { ledger in
                var n = 0
                for o in slice where try await ledger.earn(order: o.order, properties: ["revenue": .double(o.amount)], profileId: o.member, at: o.at) != nil { n += 1 }
                return n
            }
        }
        let earnSeconds = (ContinuousClock.now - started).seconds
        report.add("earn \(orders) orders", earnSeconds, "s")
        report.add("  earn entries per second", Double(entries) / earnSeconds, "entries/s")
        started = ContinuousClock.now
        let refunded = (0..<refunds).map { i in plan[(i * 7919) % plan.count] }
        var clawbacks = 0
        for chunk in stride(from: 0, to: refunded.count, by: batch) {
            let slice = Array(refunded[chunk..<min(chunk + batch, refunded.count)])
            clawbacks += try await store.withLedger(workspaceId: ws) { ledger in
                var n = 0
                for (k, o) in slice.enumerated() where try await ledger.clawback(order: o.order, refundKey: "r", amount: k % 2 == 0 ? o.amount / 2 : nil) != nil { n += 1 }
                return n
            }
        }
        let refundSeconds = (ContinuousClock.now - started).seconds
        report.add("claw back \(refunds) refunds", refundSeconds, "s")
        report.add("  clawback entries per second", Double(clawbacks) / refundSeconds, "entries/s")

        try await Self.measureMemberView(store, workspaceId: ws, people: people, report: &report)

        clock.set(Date(epochMilliseconds: start + 91 * 86_400_000))
        started = ContinuousClock.now
        let matured = try await store.runLoyaltyJobs(workspaceId: ws)
        report.add("nightly jobs: mature \(matured.matured) lots, review \(matured.tiersChanged) tier changes", (ContinuousClock.now - started).seconds, "s")
        clock.set(Date(epochMilliseconds: start + 500 * 86_400_000))
        started = ContinuousClock.now
        let expired = try await store.runLoyaltyJobs(workspaceId: ws)
        report.add("nightly jobs: expire \(expired.expiredPoints) points, tier term ends (\(expired.tiersChanged) changed)", (ContinuousClock.now - started).seconds, "s")
        started = ContinuousClock.now
        let check = try await store.verifyLoyalty(workspaceId: ws, repair: false)
        report.add("verify \(check.accounts) accounts (\(check.discrepancies.count) differences)", (ContinuousClock.now - started).seconds, "s")
        report.add("peak memory", peakMemoryMB(), "MB")
        report.print(json: json)
    }

    /// 4,000 member views (balance, tier, history) read by 8 concurrent tasks, for random members of `people`.
    static func measureMemberView(_ store: Store, workspaceId: Int64, people: [Int64], report: inout BenchReport) async throws {
        guard !people.isEmpty else { return }
        let started = ContinuousClock.now
        let latency = try await withThrowingTaskGroup(of: LatencyRecorder.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var local = LatencyRecorder()
                    var r = SeededRandom(seed: UInt64(100 + t))
                    for _ in 0..<500 {
                        let t0 = ContinuousClock.now
                        _ = try await store.loyaltyMember(workspaceId: workspaceId, profileId: people[Int(r.next() % UInt64(people.count))])
                        local.record(ContinuousClock.now - t0)
                    }
                    return local
                }
            }
            return try await group.reduce(into: LatencyRecorder()) { $0.merge($1) }
        }
        report.add("member view, 8 concurrent readers: p50", latency.value(at: .p50), "ms")
        report.add("member view: p99", latency.value(at: .p99), "ms")
        report.add("member views per second", 4_000 / (ContinuousClock.now - started).seconds, "views/s")
    }
}
