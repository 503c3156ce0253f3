/// The bodies of the simulated platform's answers: the documented JSON, and the gateway
/// answers the faults put in its place.
enum SimulatorResponseBody {
    /// `{"code","description"}`: a whole-request refusal.
    static func error(code: String) -> [UInt8] {
        var json = SimulatorJSONWriter()
        json.raw("{")
        json.field("code", code, first: true)
        json.field("description", SimulatorCodeTable.message(for: code))
        json.raw("}")
        return json.bytes
    }

    /// `{"result":[...],"code","description"}`: the platform's decision, one entry per number.
    static func decision(_ decision: SimulatorDecision) -> [UInt8] {
        var json = SimulatorJSONWriter(capacity: 64 + decision.results.count * 150)
        json.raw("{\"result\":[")
        for (index, result) in decision.results.enumerated() {
            json.raw(index > 0 ? ",{" : "{")
            json.field("originTo", result.originTo, first: true)
            json.field("createTime", result.createTime)
            json.field("from", result.from)
            json.field("smsMsgId", result.smsMsgId)
            json.field("status", result.status)
            json.raw("}")
        }
        json.raw("]")
        json.field("code", decision.code)
        json.field("description", SimulatorCodeTable.message(for: decision.code))
        json.raw("}")
        return json.bytes
    }

    /// The HTML page an API gateway or load balancer answers 502 with.
    static let badGatewayPage = Array("""
        <html>
        <head><title>502 Bad Gateway</title></head>
        <body>
        <center><h1>502 Bad Gateway</h1></center>
        <hr><center>API Gateway</center>
        </body>
        </html>

        """.utf8)

    /// The API gateway's own JSON (`error_code`/`error_msg`, no `code`), here its throttling answer.
    static let gatewayThrottled = Array(#"{"error_code":"APIGW.0308","error_msg":"The request is throttled"}"#.utf8)

    /// A 200 answer whose `code` is not one the reference documents.
    static func unknownCode(_ code: String) -> [UInt8] {
        error(code: code)
    }
}
