// swift-tools-version: 6.0
import PackageDescription

/// groupsms: bulk SMS jobs from XLSX recipient lists over the Message & SMS API.
///
/// The C libraries are reached only through the system-library targets below; the core library
/// keeps their types out of its public API.
let package = Package(
    name: "groupsms",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "groupsms", targets: ["groupsms"]),
        .executable(name: "groupsms-sim", targets: ["groupsms-sim"]),
        .library(name: "GroupSMSCore", targets: ["GroupSMSCore"]),
        .library(name: "GroupSMSSimulator", targets: ["GroupSMSSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C libraries, one system-library target each (Debian -dev packages).
        .systemLibrary(name: "CZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The core library: XLSX, PhoneNumbers, Platform, Store, Jobs, Reports.
        .target(
            name: "GroupSMSCore",
            dependencies: [
                "CZip", "CXML2", "CCurl", "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The simulated Message & SMS platform (HTTP server), used by tests, the demo and benchmarks.
        .target(
            name: "GroupSMSSimulator",
            dependencies: [
                "GroupSMSCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // Executables: thin layers over the libraries.
        .executableTarget(
            name: "groupsms",
            dependencies: [
                "GroupSMSCore", "GroupSMSSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds link Swift's runtime and Foundation in: start-up resolves far fewer
            // symbols across shared libraries and every run is about 4 MB smaller (README,
            // Performance). The -l flags name what Foundation's static archives need, which
            // `--static-swift-stdlib` would have autolinked (Swift 6.3 on Linux). Debug builds,
            // and so the tests, stay dynamic.
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU",
                                           "-l_FoundationCShims", "-l_FoundationCollections"],
                                          .when(platforms: [.linux], configuration: .release))]),
        .executableTarget(
            name: "groupsms-sim",
            dependencies: [
                "GroupSMSSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "groupsms-bench",
            dependencies: [
                "GroupSMSCore", "GroupSMSSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests and their support code (fixture builders, clocks).
        .target(name: "GroupSMSTestSupport", dependencies: ["GroupSMSCore", "CZip"]),
        .testTarget(
            name: "GroupSMSCoreTests",
            dependencies: [
                "GroupSMSCore", "GroupSMSSimulator", "GroupSMSTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "GroupSMSCLITests",
            dependencies: ["groupsms", "GroupSMSCore", "GroupSMSTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
