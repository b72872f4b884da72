import Foundation
import Testing
import TestSupport
@testable import GeoIO

/// What bbplan agrees to read (docs/RELIABILITY.md, "Inputs"): only regular files, folders of
/// regular files and GDAL's local archive paths; devices, FIFOs, pseudo-files and network paths
/// are refused before a byte is read.
@Suite("InputFile: only local, bounded inputs")
struct InputFileTests {
    // MARK: - Files that would be read forever or block

    /// /dev/zero reads zeros for ever: the SHA-256 loop and the CSV reader ran at 100% CPU.
    @Test(.timeLimit(.minutes(1)))
    func devZeroIsRefusedBeforeReading() {
        for read in readers {
            expectGeoIOError(["/dev/zero: is a character device (such as /dev/zero), not a regular file"]) { try read("/dev/zero") }
        }
    }

    /// A FIFO with no writer blocks the first open for ever.
    @Test(.timeLimit(.minutes(1)))
    func fifoIsRefusedBeforeOpening() throws {
        let path = TestPaths.temporaryDirectory("fifo").appendingPathComponent("premises.csv").path
        #expect(mkfifo(path, 0o600) == 0)
        for read in readers {
            expectGeoIOError(["\(path): is a FIFO (named pipe), not a regular file"]) { try read(path) }
        }
    }

    /// /proc files are "regular" with a size of 0, and generated as they are read.
    @Test func procFilesAreRefused() {
        for read in readers {
            expectGeoIOError(["/proc/self/status: is on the proc pseudo-file system, not a data file"]) {
                try read("/proc/self/status")
            }
        }
    }

    /// A link is followed: what it points to is what would be read.
    @Test func aLinkToADeviceIsADevice() throws {
        let link = TestPaths.temporaryDirectory("link").appendingPathComponent("premises.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/zero")
        expectGeoIOError(["\(link): is a character device"]) { try InputFile.check(link) }
    }

    /// Every way a path is read: checked, hashed, read as bytes (CSV) and opened by GDAL.
    let readers: [(String) throws -> Void] = [
        { try InputFile.check($0) },
        { _ = try FileDigest.sha256(path: $0) },
        { _ = try ByteSource(path: $0) },
        { _ = try VectorSource(path: $0) },
    ]

    // MARK: - Folders

    /// A folder GDAL reads as a dataset (here a Shapefile's four files) is hashed as its
    /// regular files concatenated in byte order of their names, sub-folders skipped; checked
    /// against sha256sum of the concatenation made by hand.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
    func folderDigestIsItsFilesInNameOrder() throws {
        let folder = TestPaths.temporaryDirectory("shape-folder")
        let names = ["districts-no-prj.cpg", "districts-no-prj.dbf", "districts-no-prj.shp", "districts-no-prj.shx"]
        for name in names {
            try FileManager.default.copyItem(atPath: TestPaths.fixture(name), toPath: folder.appendingPathComponent(name).path)
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try Data("ignored".utf8).write(to: folder.appendingPathComponent("sub/notes.txt"))
        #expect(try InputFile.check(folder.path) == .folder)
        #expect(try InputFile.files(of: folder.path) == names.map { folder.appendingPathComponent($0).path })

        var joined = Data()
        for name in names { joined += try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(name))) }
        let concatenation = TestPaths.temporaryDirectory("concat").appendingPathComponent("all").path
        try joined.write(to: URL(fileURLWithPath: concatenation))
        let expected = try #require(try runTool("/usr/bin/sha256sum", [concatenation])).output.prefix(64)
        #expect(try FileDigest.sha256(path: folder.path) == String(expected))
        // GDAL reads it as the Shapefile it holds.
        #expect(try VectorSource(path: folder.path).layerNames == ["districts-no-prj"])
    }

    @Test func folderHoldingAFifoIsRefused() throws {
        let folder = TestPaths.temporaryDirectory("fifo-folder")
        try FileManager.default.copyItem(atPath: TestPaths.fixture("districts-no-prj.shp"), toPath: folder.appendingPathComponent("a.shp").path)
        #expect(mkfifo(folder.appendingPathComponent("a.dbf").path, 0o600) == 0)
        expectGeoIOError(["\(folder.path): holds 'a.dbf', which is a FIFO (named pipe), not a regular file"]) {
            _ = try VectorSource(path: folder.path)
        }
        expectGeoIOError(["holds 'a.dbf'"]) { _ = try FileDigest.sha256(path: folder.path) }
    }

    @Test func emptyFolderIsRefused() {
        let folder = TestPaths.temporaryDirectory("empty-folder").path
        expectGeoIOError(["\(folder): is a folder holding no files"]) { _ = try FileDigest.sha256(path: folder) }
    }

    /// A Shapefile's digest covers its companions, in the order .shp, .shx, .dbf, .prj, .cpg.
    @Test func shapefileCompanionsFollowTheShp() throws {
        let shp = TestPaths.fixture("districts-wgs84.shp")
        let stem = String(shp.dropLast(4))
        #expect(try InputFile.files(of: shp) == [shp] + ["shx", "dbf", "prj", "cpg"].map { "\(stem).\($0)" })
    }

    // MARK: - GDAL virtual paths

    @Test("network paths are refused, also nested in an archive path", arguments: [
        ("/vsicurl/http://127.0.0.1:9/districts.gpkg", "GDAL's /vsicurl/ reads over the network"),
        ("/vsicurl_streaming/http://127.0.0.1:9/p.csv", "GDAL's /vsicurl_streaming/ reads over the network"),
        ("/vsis3/bucket/districts.gpkg", "GDAL's /vsis3/ reads over the network"),
        ("/vsigs/bucket/districts.gpkg", "GDAL's /vsigs/ reads over the network"),
        ("/vsiaz/container/districts.gpkg", "GDAL's /vsiaz/ reads over the network"),
        ("/vsizip//vsicurl/http://127.0.0.1:9/d.zip/d.shp", "GDAL's /vsicurl/ reads over the network"),
        ("/vsizip/{/vsis3/bucket/d.zip}/d.shp", "GDAL's /vsis3/ reads over the network"),
        ("http://127.0.0.1:9/premises.csv", "is a network address"),
        ("https://example.com/districts.geojson", "is a network address"),
        ("ftp://example.com/districts.geojson", "is a network address"),
        ("/vsizip/http://127.0.0.1:9/d.zip", "is a network address"),
        ("/vsimem/districts.gpkg", "GDAL's /vsimem/ is not a local file"),
        ("/vsistdin/", "GDAL's /vsistdin/ is not a local file"),
        ("/vsisubfile/0_100,/dev/zero", "GDAL's /vsisubfile/ is not a local file"),
    ])
    func nonLocalPathsAreRefused(path: String, expected: String) {
        expectGeoIOError(["\(path): \(expected)"]) { try InputFile.check(path) }
        expectGeoIOError([expected]) { _ = try VectorSource(path: path) }
        expectGeoIOError([expected]) { _ = try ByteSource(path: path) }
    }

    /// Archive paths over a local regular file are read, and hashed as the archive.
    @Test func localArchivePathsAreTheArchive() throws {
        let gz = TestPaths.fixture("exchanges.csv.gz")
        #expect(try InputFile.check("/vsigzip/" + gz) == .archive(gz))
        #expect(try InputFile.files(of: "/vsigzip/" + gz) == [gz])
        #expect(try InputFile.check("/vsizip/{\(gz)}/inner.csv") == .archive(gz))
        expectGeoIOError(["/vsizip//nonexistent/d.zip/d.shp: file not found"]) { try InputFile.check("/vsizip//nonexistent/d.zip/d.shp") }
        expectGeoIOError(["/vsigzip//dev/zero: is a character device"]) { try InputFile.check("/vsigzip//dev/zero") }
    }
}

/// Caps on what is actually read, not on what a file claims (docs/RELIABILITY.md, "Limits").
@Suite("Read caps: record length and decompressed size")
struct ReadCapTests {
    /// A gzip of a few hundred KB holding one line of 1 GiB (1024 gzip members of 1 MiB of '9',
    /// which GDAL's /vsigzip/ reads as one stream). Reading it took 84 s and 1.15 GB before
    /// failing; it must fail on the record's line as soon as the record passes 1 MiB.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip")), .timeLimit(.minutes(1)))
    func oneGigabyteLineFailsAtItsLine() throws {
        let dir = TestPaths.temporaryDirectory("gigaline")
        func gzipped(_ name: String, _ bytes: [UInt8]) throws -> Data {
            let path = dir.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let result = try #require(try runTool("/usr/bin/gzip", ["-9", "-n", path]))
            #expect(result.status == 0)
            return try Data(contentsOf: URL(fileURLWithPath: path + ".gz"))
        }
        let head = try gzipped("head", Array("id,easting,northing\nA,383000,398000\n".utf8))
        let mebibyte = try gzipped("line", [UInt8](repeating: UInt8(ascii: "9"), count: 1 << 20))
        let tail = try gzipped("tail", Array("\n".utf8))
        var file = head
        for _ in 0..<1024 { file += mebibyte }
        file += tail
        #expect(file.count < 5_000_000)
        let path = dir.appendingPathComponent("gigaline.csv.gz").path
        try file.write(to: URL(fileURLWithPath: path))

        let error = expectGeoIOError(["\(path): line 3: a record longer than 1 MiB"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "easting", y: "northing"))
        }
        #expect(error?.location == "line 3")
    }

    /// A complete record over the limit (it ends inside the first chunk) is refused too.
    @Test func completeRecordOverTheLimitIsRefused() throws {
        let text = "id,x,y\na,1,2\nb,3,4\n" + String(repeating: "x", count: Limits.maxCSVRecordBytes + 1) + ",5,6\nc,7,8\n"
        let path = try temporaryFile("long.csv", text)
        expectGeoIOError(["\(path): line 4: a record longer than 1 MiB"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
        }
    }

    /// A record of exactly the limit (its line end included, as `CSVRecords` counts) is read.
    @Test func recordOfExactlyTheLimitIsRead() throws {
        let id = String(repeating: "x", count: Limits.maxCSVRecordBytes - 5)
        let path = try temporaryFile("limit.csv", "id,x,y\n\(id),1,2\n")
        let table = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y", textColumns: ["id"]))
        #expect(table.count == 1)
        #expect(table.texts["id"]?[0].utf8.count == Limits.maxCSVRecordBytes - 5)
        let over = try temporaryFile("over.csv", "id,x,y\n\(id)x,1,2\n")
        expectGeoIOError(["\(over): line 2: a record longer than 1 MiB"]) {
            _ = try CSVPointReader.read(path: over, spec: CSVPointSpec(x: "x", y: "y", textColumns: ["id"]))
        }
    }

    /// 5,000 rows of 23 bytes and a header (115,031 bytes uncompressed) against a cap of 64 KiB, injected
    /// so the test need not write 64 GiB: the read stops past 64 KiB, naming the cap.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip")))
    func decompressedSizeIsCapped() throws {
        let rows = (0..<5000).map { String(format: "P%05d,%06d,%06d,1\n", $0, 380_000 + $0, 390_000 + $0) }.joined()
        let text = "id,easting,northing,households\n" + rows
        #expect(text.utf8.count == 115_031)
        let path = try temporaryFile("rows.csv", text)
        #expect(try #require(try runTool("/usr/bin/gzip", ["-k", path])).status == 0)
        let spec = CSVPointSpec(x: "easting", y: "northing")
        expectGeoIOError(["\(path).gz: more than 64 KiB once decompressed"]) {
            _ = try CSVPointReader.read(source: try ByteSource(path: path + ".gz", maxUncompressedBytes: 64 << 10),
                                        path: path + ".gz", spec: spec, check: nil)
        }
        // The same cap on a plain file counts bytes read (the file may grow while it is read).
        expectGeoIOError(["\(path): more than 64 KiB read"]) {
            _ = try CSVPointReader.read(source: try ByteSource(path: path, maxBytes: 64 << 10), path: path, spec: spec, check: nil)
        }
        // Under the default caps both read completely.
        #expect(try CSVPointReader.read(path: path + ".gz", spec: spec).count == 5000)
    }

    @Test("byte counts in messages", arguments: [
        (Int64(16) << 30, "16 GiB"), (Int64(64) << 30, "64 GiB"), (Int64(1) << 20, "1 MiB"), (Int64(64) << 10, "64 KiB"),
        (Int64(100_000), "97.7 KiB"), (Int64(512), "512 bytes"),
    ])
    func describeBytes(bytes: Int64, text: String) {
        #expect(Limits.describe(bytes: bytes) == text)
    }
}

/// Text quoted from a file in a message is escaped and cut short.
@Suite("Excerpts of file content in messages")
struct ExcerptTests {
    @Test func longValuesAreCutToSixtyCharacters() {
        let long = String(repeating: "a", count: 1 << 20)
        #expect(long.excerpt == String(repeating: "a", count: 59) + "…")
        #expect(String(repeating: "b", count: 60).excerpt == String(repeating: "b", count: 60))
        #expect("short".excerpt == "short")
    }

    @Test func controlCharactersAreEscapedAfterCutting() {
        #expect("a\u{1B}[2J\nb".excerpt == "a\\u{1B}[2J\\nb")
        // C1 controls too: U+009B is an 8-bit CSI to some terminals.
        #expect("x\u{9B}2J".printable == "x\\u{9B}2J")
    }

    /// A number field of a megabyte is quoted as 60 characters, not the megabyte.
    @Test func hugeFieldInAnErrorIsAnExcerpt() throws {
        let path = try temporaryFile("hugefield.csv", "id,x,y\na," + String(repeating: "z", count: 500_000) + ",2\n")
        let error = expectGeoIOError(["line 2: x 'zzz", "…' is not a finite number"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
        }
        #expect((error?.description.count ?? .max) < path.count + 120)
    }

    /// A header of hostile names is listed name by name, each cut short.
    @Test func columnListIsExcerpted() throws {
        let names = (0..<3).map { "c\($0)" + String(repeating: "n", count: 10_000) }
        let path = try temporaryFile("names.csv", names.joined(separator: ",") + "\n1,2,3\n")
        let error = expectGeoIOError(["line 1: no x column 'x'; columns are: 'c0nnn"]) {
            _ = try CSVPointReader.read(path: path, spec: CSVPointSpec(x: "x", y: "y"))
        }
        #expect((error?.description.count ?? .max) < path.count + 300)
    }
}
