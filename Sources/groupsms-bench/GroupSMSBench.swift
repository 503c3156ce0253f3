import ArgumentParser

/// Benchmarks for groupsms; run a release build: `make bench`, or
/// `swift build -c release && .build/release/groupsms-bench <name>`.
@main
struct GroupSMSBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groupsms-bench",
        abstract: "Measures groupsms against its speed and memory targets.",
        subcommands: [XLSXBenchmark.self, PhoneNumbersBenchmark.self, CheckBenchmark.self, PlatformBenchmark.self, StoreBenchmark.self, ReceiverBenchmark.self, SendBenchmark.self, SharedPaceBenchmark.self, PersonalisedBenchmark.self, SendWindowBenchmark.self, SendWorker.self])
}
