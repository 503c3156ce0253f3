import Foundation
import Testing
import GroupSMSPostgres
import GroupSMSTestSupport

@Suite struct PostgresStoreURLTests {
    @Test func readsUserHostPortAndDatabase() throws {
        let url = try PostgresStoreURL.parse("postgres://sender@db.example.net:6432/groupsms")
        #expect(url == PostgresStoreURL(user: "sender", host: "db.example.net", port: 6432, database: "groupsms"))
        #expect(url.description == "postgres://sender@db.example.net:6432/groupsms")
        #expect(!url.isUnixSocket)
    }

    @Test func defaultsThePortAndReadsTheOtherSchemeAndTLSModes() throws {
        let url = try PostgresStoreURL.parse("postgresql://sender@[::1]/jobs?sslmode=require")
        #expect(url.host == "::1")
        #expect(url.port == 5432)
        #expect(url.tlsMode == .require)
        #expect(url.description == "postgres://sender@[::1]:5432/jobs?sslmode=require")
        #expect(try PostgresStoreURL.parse("postgres://u@h/d?sslmode=disable").tlsMode == .disable)
        #expect(try PostgresStoreURL.parse("postgres://u@h/d").tlsMode == .prefer)
    }

    @Test func aPercentEncodedPathHostIsTheUnixSocketFolder() throws {
        let url = try PostgresStoreURL.parse("postgres://sender@%2Frun%2Fpostgresql:5433/groupsms")
        #expect(url.host == "/run/postgresql")
        #expect(url.unixSocketPath == "/run/postgresql/.s.PGSQL.5433")
        #expect(url.description == "postgres://sender@%2Frun%2Fpostgresql:5433/groupsms")
        #expect(try PostgresStoreURL.parse(url.description) == url)
    }

    /// Every way a password can ride in a URL is refused, and the message neither repeats the
    /// password nor the URL as typed.
    @Test(arguments: [
        "postgres://sender:Hunter2Secret@db:5432/groupsms",
        "postgres://sender:Hunter2Secret@db/groupsms?sslmode=require",
        "postgres://sender:p@ss:Hunter2Secret@db/groupsms",
        "postgres://sender@db/groupsms?password=Hunter2Secret",
        "postgresql://:Hunter2Secret@db/groupsms",
    ])
    func aPasswordInTheURLIsRefusedWithoutRepeatingIt(_ text: String) {
        #expect(throws: PostgresStoreError.passwordInURL) { try PostgresStoreURL.parse(text) }
        let message = PostgresStoreError.passwordInURL.description
        #expect(!message.contains("Hunter2Secret"))
        #expect(message.contains("PGPASSWORD"))
        #expect(message.contains("--store-password-file"))
    }

    @Test(arguments: [
        ("mysql://sender@db/groupsms", "postgres://"),
        ("postgres://db/groupsms", "no user"),
        ("postgres://sender@db", "no database"),
        ("postgres://sender@db/", "no database"),
        ("postgres://sender@db/groupsms?sslmode=verify", "sslmode"),
        ("postgres://sender@db/groupsms?connect_timeout=3", "unknown parameter 'connect_timeout'"),
    ])
    func aMalformedURLIsRefusedSayingWhatIsMissing(_ text: String, _ expected: String) throws {
        do {
            _ = try PostgresStoreURL.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(!error.description.contains(text), "the URL as typed may hold a password: \(error)")
        }
    }
}

@Suite struct PostgresPasswordTests {
    @Test func comesFromPGPASSWORDWhenNoFileIsGiven() throws {
        let password = try PostgresPassword.resolve(file: nil, environment: ["PGPASSWORD": "Hunter2Secret"])
        #expect(password?.secretValue == "Hunter2Secret")
        #expect(try PostgresPassword.resolve(file: nil, environment: ["PGPASSWORD": ""]) == nil)
        #expect(try PostgresPassword.resolve(file: nil, environment: [:]) == nil)
    }

    @Test func aFileOfTheUserWithMode600WinsOverTheEnvironment() throws {
        let folder = try TemporaryDirectory(prefix: "pgpass")
        let path = folder.file("password")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("FromTheFile\r\n".utf8),
                                               attributes: [.posixPermissions: 0o600]))
        let password = try PostgresPassword.resolve(file: path, environment: ["PGPASSWORD": "FromTheEnvironment"])
        #expect(password?.secretValue == "FromTheFile")
    }

    @Test func aFileOthersMayReadIsRefusedWithoutShowingItsContent() throws {
        let folder = try TemporaryDirectory(prefix: "pgpass")
        let path = folder.file("password")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("Hunter2Secret\n".utf8),
                                               attributes: [.posixPermissions: 0o644]))
        do {
            _ = try PostgresPassword.resolve(file: path, environment: [:])
            Issue.record("a 0644 password file was read")
        } catch {
            #expect(error.description.contains("chmod 600"), "\(error)")
            #expect(!error.description.contains("Hunter2Secret"))
        }
    }

    @Test func everyPrintedFormHidesThePassword() {
        let password = PostgresPassword("Hunter2Secret")
        let forms = ["\(password)", String(describing: password), String(reflecting: password), "\(Optional(password) as Any)"]
        var dumped = ""
        dump(password, to: &dumped)
        for form in forms + [dumped] { #expect(!form.contains("Hunter2Secret"), "\(form)") }
    }
}
