import Foundation
import GroupSMSTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The test support's child processes: they inherit no descriptor but the standard three, start
/// where asked, and report their exit status.
@Suite struct SpawnedProcessTests {
    @Test func aChildInheritsOnlyItsStandardDescriptors() throws {
        let directory = try TemporaryDirectory(prefix: "child")
        // Opened without O_CLOEXEC, as a listening socket of a test's server may be.
        let leaked = open(directory.path, O_RDONLY)
        #expect(leaked > 2)
        defer { close(leaked) }
        let output = directory.file("fds")
        let child = try SpawnedProcess.spawn(["/bin/sh", "-c", "ls /proc/$$/fd"], stdout: output)
        #expect(child.wait() == 0)
        let descriptors = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Set(descriptors) == ["0", "1", "2"], "\(descriptors)")
    }

    @Test func aChildStartsInTheFolderGivenAndReportsItsStatus() throws {
        let directory = try TemporaryDirectory(prefix: "child")
        let output = directory.file("pwd")
        let child = try SpawnedProcess.spawn(["/bin/sh", "-c", "pwd; exit 3"], currentDirectory: directory.path, stdout: output)
        #expect(child.wait() == 3)
        let printed = try String(contentsOfFile: output, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(URL(fileURLWithPath: printed).resolvingSymlinksInPath() == URL(fileURLWithPath: directory.path).resolvingSymlinksInPath())
        let killed = try SpawnedProcess.spawn(["/bin/sh", "-c", "kill -TERM $$"])
        #expect(killed.wait() == 128 + SIGTERM)
    }
}
