extension PlatformCredentials {
    /// The demo application of the simulated platform (`SimulatorCredentials.demo` in
    /// GroupSMSSimulator), for `send --simulate`, tests and benchmarks. Not secret: it works
    /// nowhere else. Written here as well because the simulator keeps its own credentials type
    /// and does not depend on this module; every end-to-end test (a client with these
    /// credentials against a default simulator) fails if the two differ.
    public static let simulatorDemo = PlatformCredentials(appKey: "groupsmsDemoAppKey0001",
                                                          appSecret: "groupsms-demo-secret-simulator-only")
}
