import Testing
@testable import GroupSMSReports

/// SPEC §4: the callback the platform is given is never a wildcard address, nor loopback when the
/// platform is elsewhere; `--status-callback none` sends none.
@Suite struct StatusCallbackRuleTests {
    let remote = "https://smsapi.example.com:443"

    @Test func theJobsOwnCallbackWinsAndNoneSendsNone() throws {
        #expect(try StatusCallbackRule.resolve(statusCallback: "https://a.example/r", callbackURL: "https://b.example/r",
                                               receiverURL: "http://0.0.0.0:8080/reports", endpoint: remote)
                == "https://a.example/r")
        #expect(try StatusCallbackRule.resolve(statusCallback: "none", callbackURL: "https://b.example/r",
                                               receiverURL: "http://0.0.0.0:8080/reports", endpoint: remote) == nil)
    }

    @Test func callbackURLIsGivenInsteadOfTheListenAddress() throws {
        #expect(try StatusCallbackRule.resolve(statusCallback: nil, callbackURL: "https://sms.example.com/reports/t",
                                               receiverURL: "http://0.0.0.0:8080/reports/t", endpoint: remote)
                == "https://sms.example.com/reports/t")
    }

    @Test(arguments: ["http://0.0.0.0:8080/reports", "http://[::]:8080/reports"])
    func aWildcardListenAddressIsRefused(_ receiver: String) {
        #expect {
            _ = try StatusCallbackRule.resolve(statusCallback: nil, callbackURL: nil, receiverURL: receiver, endpoint: remote)
        } throws: { error in
            "\(error)".contains("wildcard address") && "\(error)".contains("--callback-url")
        }
    }

    @Test func loopbackIsRefusedOnlyWhenThePlatformIsElsewhere() throws {
        #expect {
            _ = try StatusCallbackRule.resolve(statusCallback: nil, callbackURL: nil,
                                               receiverURL: "http://127.0.0.1:8080/reports", endpoint: remote)
        } throws: { error in
            "\(error)".contains("cannot reach") && "\(error)".contains("--callback-url")
        }
        #expect(try StatusCallbackRule.resolve(statusCallback: nil, callbackURL: nil,
                                               receiverURL: "http://127.0.0.1:8080/reports",
                                               endpoint: "http://127.0.0.1:9000") == "http://127.0.0.1:8080/reports")
        #expect(try StatusCallbackRule.resolve(statusCallback: nil, callbackURL: nil,
                                               receiverURL: "http://192.0.2.10:8080/reports", endpoint: remote)
                == "http://192.0.2.10:8080/reports")
    }

    @Test func noReceiverAndNoURLMeansNoCallback() throws {
        #expect(try StatusCallbackRule.resolve(statusCallback: nil, callbackURL: nil, receiverURL: nil, endpoint: remote) == nil)
    }
}
