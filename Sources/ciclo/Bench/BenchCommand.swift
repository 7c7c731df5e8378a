import ArgumentParser

/// `ciclo bench <name>`: repeatable measurements that print their figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run benchmarks and print their figures.",
        subcommands: [AllBenchmarks.self, ScaleBenchmark.self, SustainedBenchmark.self, DemoBenchmark.self, IngestBenchmark.self, ProfilesBenchmark.self, SegmentsBenchmark.self,
                      JourneysBenchmark.self, EmailBenchmark.self, DashboardBenchmark.self, PredictBenchmark.self, AnalyticsBenchmark.self,
                      LoyaltyBenchmark.self, RecommendBenchmark.self])
}
