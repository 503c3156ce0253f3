import Foundation
import GroupSMSTestSupport
import Testing
@testable import GroupSMSXLSX

/// The sheet of a variable-columns read is inflated by a task of its own (`XLSXPartPrefetch`):
/// the queue between that task and the parser, and the same refusals as a column-A read of a
/// damaged or hostile sheet.
@Suite struct XLSXPrefetchedSheetTests {
    private static func filled(_ text: String) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: XLSXPartPrefetch.chunkBytes)
        buffer.replaceSubrange(0..<text.utf8.count, with: Array(text.utf8))
        return buffer
    }

    private static func read(_ prefetch: XLSXPartPrefetch, _ count: Int) -> (Int, String) {
        var buffer = [UInt8](repeating: 0, count: count)
        let read = buffer.withUnsafeMutableBytes { prefetch.read(into: $0) }
        return (read, String(decoding: buffer.prefix(max(read, 0)), as: UTF8.self))
    }

    @Test func bytesComeOutInOrderInPiecesOfAnySizeThenTheEnd() async throws {
        let prefetch = XLSXPartPrefetch()
        #expect(!prefetch.isReady)
        _ = try #require(await prefetch.nextBuffer())
        prefetch.publish(Self.filled("<?xml"), count: 5)
        prefetch.publish(Self.filled("<a/>"), count: 4)
        #expect(prefetch.isReady)
        #expect(Self.read(prefetch, 4) == (4, "<?xm"))
        #expect(Self.read(prefetch, 64) == (1, "l"), "a read takes at most what is left of one chunk")
        #expect(Self.read(prefetch, 64) == (4, "<a/>"))
        #expect(!prefetch.isReady, "nothing queued and not ended: the reader waits")
        prefetch.finish(failure: nil)
        await prefetch.waitUntilReadable()
        #expect(Self.read(prefetch, 64).0 == 0)
    }

    @Test func aFailureComesAfterTheBytesBeforeIt() async {
        let prefetch = XLSXPartPrefetch()
        prefetch.publish(Self.filled("<row>"), count: 5)
        let damage = XLSXError(path: "f.xlsx", part: "xl/worksheets/sheet1.xml", reason: .brokenArchive("CRC error"))
        prefetch.finish(failure: damage)
        #expect(Self.read(prefetch, 64) == (5, "<row>"))
        #expect(Self.read(prefetch, 64).0 == -1)
        #expect(prefetch.failure == damage)
    }

    @Test func theInflaterWaitsWhileTheQueueIsFullAndGoesOnAfterARead() async throws {
        let prefetch = XLSXPartPrefetch()
        for _ in 0..<XLSXPartPrefetch.capacity {
            var buffer = try #require(await prefetch.nextBuffer())
            buffer[0] = UInt8(ascii: "<")
            prefetch.publish(buffer, count: XLSXPartPrefetch.chunkBytes)
        }
        let waiting = Task { await prefetch.nextBuffer()?.first }
        // A whole chunk read frees a place. The inflater gets the buffer that chunk was in: had
        // it not waited, it would have had a new one, all zeros.
        #expect(Self.read(prefetch, XLSXPartPrefetch.chunkBytes).0 == XLSXPartPrefetch.chunkBytes)
        #expect(await waiting.value == UInt8(ascii: "<"))
    }

    @Test func stoppingReleasesAWaitingInflaterWithNoBuffer() async throws {
        let prefetch = XLSXPartPrefetch()
        for _ in 0..<XLSXPartPrefetch.capacity {
            prefetch.publish(try #require(await prefetch.nextBuffer()), count: 1)
        }
        let waiting = Task { await prefetch.nextBuffer() == nil }
        prefetch.stop()
        #expect(await waiting.value, "a stopped reader wants no more bytes")
        #expect(await prefetch.nextBuffer() == nil)
    }

    // MARK: - The same refusals as a column-A read

    private static func workbook(_ entries: [TestZipArchive.Entry], damage: ((inout [UInt8]) throws -> Void)? = nil)
        throws -> (TemporaryDirectory, String) {
        var bytes = try TestZipArchive(entries: entries).bytes()
        try damage?(&bytes)
        let directory = try TemporaryDirectory()
        let path = directory.file("recipients.xlsx")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    private static func entries(sheet: String) -> [TestZipArchive.Entry] {
        TestWorkbook.parts(sheet: sheet).map { TestZipArchive.Entry(name: $0.name, content: Array($0.content.utf8)) }
    }

    private static func expectSameRefusal(_ path: String, limits: XLSXReadLimits = .standard) async {
        let columnA = XLSXTestReading.refusal(path, limits: limits)
        let rows = await XLSXTestReading.rows(path, limits: limits).error
        #expect(columnA != nil)
        #expect(rows?.reason == columnA?.reason && rows?.part == columnA?.part,
                "rows: \(String(describing: rows)); column A: \(String(describing: columnA))")
    }

    @Test func anEmptySheetADoctypeAndEncryptionAreRefusedAlike() async throws {
        let doctype = #"<?xml version="1.0"?><!DOCTYPE worksheet><worksheet xmlns="\#(TestWorkbook.main)"><sheetData/></worksheet>"#
        for sheet in ["", doctype] {
            let (directory, path) = try Self.workbook(Self.entries(sheet: sheet))
            await Self.expectSameRefusal(path)
            _ = directory
        }
        let encrypted = Self.entries(sheet: TestWorkbook.worksheet("")).map {
            TestZipArchive.Entry(name: $0.name, content: $0.content, encrypted: $0.name.hasPrefix("xl/work"))
        }
        let (directory, path) = try Self.workbook(encrypted)
        await Self.expectSameRefusal(path)
        _ = directory
    }

    @Test func corruptDataAndAPartPastItsCapAreRefusedAlike() async throws {
        let rows = (1...20_000).map { #"<row r="\#($0)"><c r="A\#($0)" t="inlineStr"><is><t>+86131\#($0 * 7919)</t></is></c></row>"# }
        let (corrupt, corruptPath) = try Self.workbook(Self.entries(sheet: TestWorkbook.worksheet(rows.joined()))) { bytes in
            let start = try #require(bytes.firstRange(of: Array("xl/worksheets/sheet1.xml".utf8))).upperBound
            for offset in stride(from: start + 200, to: start + 2000, by: 7) { bytes[offset] ^= 0x5A }
        }
        await Self.expectSameRefusal(corruptPath)
        var limits = XLSXReadLimits()
        limits.maxPartBytes = 256 << 10
        let (large, largePath) = try Self.workbook(Self.entries(sheet: TestWorkbook.worksheet(rows.joined())))
        await Self.expectSameRefusal(largePath, limits: limits)
        #expect(await XLSXTestReading.rows(largePath, limits: limits).error?.reason == .partTooLarge(256 << 10))
        _ = (corrupt, large)
    }
}
