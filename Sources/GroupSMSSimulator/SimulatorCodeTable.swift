/// The result codes the simulated platform answers with and their messages, from the API
/// reference's tables (3-56/3-64, appendix 5.2.1). The simulator's own table, so an answer's
/// `description` does not depend on how the client explains a code.
enum SimulatorCodeTable {
    static let success = "000000"
    /// Some numbers failed; each number's status says why (the request was answered per number).
    static let perNumber = "E000510"
    static let flowControl = "E200015"
    static let repeatedNumber = "E200041"
    static let delivered = "DELIVRD"

    private static let messages: [String: String] = [
        "000000": "Success.",
        "E000000": "System error.",
        "E000001": "Authorization not contained in the HTTP header.",
        "E000002": "realm not contained in Authorization.",
        "E000003": "profile not contained in Authorization.",
        "E000004": "The value of realm in Authorization must be SDP.",
        "E000005": "The value of profile in Authorization must be UsernameToken.",
        "E000006": "The value of type in Authorization must be app_key.",
        "E000007": "type not contained in Authorization.",
        "E000008": "WSSE not contained in Authorization.",
        "E000020": "X-WSSE not contained in the HTTP header.",
        "E000021": "UserName not contained in X-WSSE.",
        "E000022": "Nonce not contained in X-WSSE.",
        "E000023": "Created not contained in X-WSSE.",
        "E000024": "PasswordDigest not contained in X-WSSE.",
        "E000025": "The format of Created is incorrect.",
        "E000026": "UsernameToken not contained in X-WSSE.",
        "E000040": "The value of ContentType must be application/x-www-form-urlencoded.",
        "E000101": "Authentication failed.",
        "E000102": "Invalid app_key.",
        "E000103": "The status of the app_key is unavailable.",
        "E000104": "Invalid app_secret.",
        "E000105": "Invalid digest.",
        "E000106": "The app_key is not allowed to invoke this API.",
        "E000109": "The user status is deactivated.",
        "E000110": "Time out limit.",
        "E000111": "Incorrect username or password.",
        "E000112": "The subscriber status is frozen.",
        "E000503": "The parameter format is incorrect.",
        "E000510": "The SMS fails to be sent. For details, see status.",
        "E000620": "The app client ip is not in ip white list.",
        "E000623": "Number of SMSs sent by the SP reached the limit.",
    ]

    /// The reference's message for `code`; codes outside the table (an injected unknown code)
    /// get a generic text, as an unexpected platform answer would.
    static func message(for code: String) -> String {
        messages[code] ?? "Unknown error."
    }
}
