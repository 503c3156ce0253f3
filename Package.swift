// swift-tools-version: 6.0
import PackageDescription

/// groupsms: bulk SMS jobs from XLSX recipient lists over the Message & SMS API.
///
/// The library targets follow the data path, file -> cells -> numbers -> job -> chunks ->
/// requests -> answers -> reports -> exports. Each may import only the ones listed before it
/// (`make check-layers` enforces the order written in `layers` below), and each C module is
/// imported `internal` by the one target that funnels it.
let layers: [String] = [
    "GroupSMSModel",         // ids, states, outcomes, job settings, shared pure rules
    "GroupSMSXLSX",          // libzip + libxml2: workbook cells in, workbooks out
    "GroupSMSPhoneNumbers",  // cells -> E.164 numbers, dedupe, import report
    "GroupSMSPlatform",      // libcurl + crypto: requests, auth, answers
    "GroupSMSHTTPServer",    // Hummingbird host for the receiver and the simulator
    "GroupSMSStore",         // sqlite3: jobs, chunks, history, reports
    "GroupSMSPostgres",      // postgres-nio: the shared store's connection, migrations, health
    "GroupSMSJobs",          // job files, answer policy, runner, pacer, daemon
    "GroupSMSReports",       // report receiver, failed-number exports
    "GroupSMSOperations",    // metrics (Prometheus), health endpoints, JSON logs
    "GroupSMSSimulator",     // the simulated platform
]

let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let coreMetrics = Target.Dependency.product(name: "CoreMetrics", package: "swift-metrics")
let postgresNIO = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")

let package = Package(
    name: "groupsms",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "groupsms", targets: ["groupsms"]),
        .executable(name: "groupsms-sim", targets: ["groupsms-sim"]),
        .library(name: "GroupSMSReports", targets: ["GroupSMSReports"]),
        .library(name: "GroupSMSSimulator", targets: ["GroupSMSSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already in the graph through postgres-nio; named because GroupSMSPostgres builds its TLS context.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Already in the graph through Hummingbird; named because the runner, the receiver and the
        // operations target record metrics and write logs through them.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already in the graph through Hummingbird; named because GroupSMSHTTPServer imports them.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C libraries, one system-library target each (Debian -dev packages).
        .systemLibrary(name: "CZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The data path, bottom to top (see `layers`).
        .target(name: "GroupSMSModel"),
        .target(name: "GroupSMSXLSX", dependencies: ["CZip", "CXML2"]),
        .target(name: "GroupSMSPhoneNumbers", dependencies: ["GroupSMSModel", "GroupSMSXLSX"]),
        .target(name: "GroupSMSPlatform", dependencies: ["GroupSMSModel", "CCurl", crypto]),
        .target(
            name: "GroupSMSHTTPServer",
            dependencies: [
                hummingbird, serviceLifecycle, .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .target(name: "GroupSMSStore", dependencies: ["GroupSMSModel", "CSQLite"]),
        .target(
            name: "GroupSMSPostgres",
            dependencies: ["GroupSMSModel", "GroupSMSPlatform", "GroupSMSStore", postgresNIO, nioSSL, logging]),
        .target(
            name: "GroupSMSJobs",
            dependencies: [
                "GroupSMSModel", "GroupSMSPhoneNumbers", "GroupSMSPlatform", "GroupSMSStore", crypto,
                .product(name: "Yams", package: "Yams"), coreMetrics, logging,
            ]),
        .target(
            name: "GroupSMSReports",
            dependencies: [
                "GroupSMSModel", "GroupSMSXLSX", "GroupSMSPlatform", "GroupSMSHTTPServer", "GroupSMSStore",
                "GroupSMSJobs", hummingbird, coreMetrics, logging,
            ]),
        .target(
            name: "GroupSMSOperations",
            dependencies: ["GroupSMSModel", "GroupSMSHTTPServer", "GroupSMSStore", "GroupSMSJobs", "GroupSMSReports",
                           hummingbird, coreMetrics, prometheus, logging]),
        // The simulated Message & SMS platform (HTTP server), used by tests, the demo and benchmarks.
        .target(
            name: "GroupSMSSimulator",
            // Only the pure model (clock, seeded random) and the HTTP host: the simulator reads requests,
            // checks signatures and writes reports with its own code, so it cannot share the client's bugs.
            dependencies: ["GroupSMSModel", "GroupSMSHTTPServer", hummingbird, crypto]),

        // Executables: thin layers over the libraries.
        .executableTarget(
            name: "groupsms",
            dependencies: [
                "GroupSMSModel", "GroupSMSXLSX", "GroupSMSPhoneNumbers", "GroupSMSPlatform", "GroupSMSStore",
                "GroupSMSPostgres", "GroupSMSJobs", "GroupSMSReports", "GroupSMSOperations", "GroupSMSSimulator",
                argumentParser, logging,
            ],
            // Release builds link Swift's runtime and Foundation in: start-up resolves far fewer
            // symbols across shared libraries and every run is about 4 MB smaller (README,
            // Performance). The -l flags name what Foundation's static archives need, which
            // `--static-swift-stdlib` would have autolinked (Swift 6.3 on Linux; FoundationNetworking,
            // which the embedded simulator's report pushes use, needs its URLSession shim and
            // libcurl). Debug builds,
            // and so the tests, stay dynamic.
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU",
                                           "-l_FoundationCShims", "-l_FoundationCollections", "-l_CFURLSessionInterface", "-lcurl"],
                                          .when(platforms: [.linux], configuration: .release))]),
        .executableTarget(
            name: "groupsms-sim", dependencies: ["GroupSMSModel", "GroupSMSHTTPServer", "GroupSMSSimulator", argumentParser]),
        .executableTarget(
            name: "groupsms-bench",
            dependencies: [
                "GroupSMSModel", "GroupSMSXLSX", "GroupSMSPhoneNumbers", "GroupSMSPlatform", "GroupSMSStore",
                "GroupSMSPostgres", "GroupSMSJobs", "GroupSMSReports", "GroupSMSSimulator", "GroupSMSTestSupport",
                argumentParser,
            ]),

        // Test support (fixture builders, clocks) and one test target per stage.
        .target(
            name: "GroupSMSTestSupport",
            dependencies: ["GroupSMSModel", "GroupSMSXLSX", "GroupSMSPhoneNumbers", "GroupSMSPlatform", "GroupSMSStore",
                           "GroupSMSPostgres", "GroupSMSJobs", "GroupSMSReports", logging]),
        .testTarget(name: "GroupSMSModelTests", dependencies: ["GroupSMSModel", "GroupSMSTestSupport"]),
        .testTarget(
            name: "GroupSMSXLSXTests", dependencies: ["GroupSMSXLSX", "GroupSMSTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "GroupSMSPhoneNumbersTests",
            dependencies: ["GroupSMSModel", "GroupSMSXLSX", "GroupSMSPhoneNumbers", "GroupSMSTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "GroupSMSPlatformTests",
            dependencies: ["GroupSMSModel", "GroupSMSPlatform", "GroupSMSSimulator", "GroupSMSTestSupport", hummingbird]),
        .testTarget(
            name: "GroupSMSStoreTests",
            dependencies: ["GroupSMSModel", "GroupSMSStore", "GroupSMSTestSupport"]),
        .testTarget(
            name: "GroupSMSPostgresTests",
            dependencies: ["GroupSMSModel", "GroupSMSStore", "GroupSMSPostgres", "GroupSMSTestSupport", postgresNIO,
                           logging]),
        .testTarget(
            name: "GroupSMSOperationsTests",
            dependencies: ["GroupSMSModel", "GroupSMSPlatform", "GroupSMSStore", "GroupSMSPostgres", "GroupSMSJobs", "GroupSMSReports",
                           "GroupSMSOperations", "GroupSMSSimulator", "GroupSMSTestSupport", logging, hummingbird]),
        .testTarget(
            name: "GroupSMSJobsTests",
            dependencies: ["GroupSMSModel", "GroupSMSPlatform", "GroupSMSStore", "GroupSMSJobs", "GroupSMSSimulator",
                           "GroupSMSTestSupport", crypto]),
        .testTarget(
            name: "GroupSMSReportsTests",
            dependencies: ["GroupSMSModel", "GroupSMSXLSX", "GroupSMSPlatform", "GroupSMSStore", "GroupSMSJobs",
                           "GroupSMSReports", "GroupSMSSimulator", "GroupSMSTestSupport", hummingbird]),
        .testTarget(
            name: "GroupSMSSimulatorTests",
            dependencies: ["GroupSMSModel", "GroupSMSHTTPServer", "GroupSMSSimulator", "groupsms-sim", "GroupSMSTestSupport",
                           crypto, hummingbird]),
        .testTarget(
            name: "GroupSMSCLITests",
            dependencies: ["groupsms", "GroupSMSModel", "GroupSMSXLSX", "GroupSMSStore", "GroupSMSPostgres",
                           "GroupSMSTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
