import Foundation
import Testing
import TestSupport
@testable import GeoIO

/// SHA-256 against the FIPS 180-4 example vectors and, for files read in chunks, against
/// coreutils' sha256sum: every input and output file's digest in summary.json, the catalogue
/// and the output manifests comes from here.
@Suite("SHA-256")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func fipsExamples(_ text: String, _ digest: String) {
        #expect(FileDigest.sha256(Data(text.utf8)) == digest)
    }

    @Test func aMillionAsInUnevenPieces() {
        // Pieces that end inside, at and across 64-byte blocks.
        let sizes = [1, 63, 64, 65, 1000, 4097]
        var hasher = SHA256()
        var fed = 0
        var i = 0
        while fed < 1_000_000 {
            let n = min(sizes[i % sizes.count], 1_000_000 - fed)
            hasher.update(Data(repeating: UInt8(ascii: "a"), count: n))
            fed += n
            i += 1
        }
        #expect(hasher.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
    func filesReadInChunksAgreeWithSha256sum() throws {
        let dir = TestPaths.temporaryDirectory("sha256")
        // Past the 1 MiB read size, not a multiple of the 64-byte block.
        var state: UInt64 = 7
        let bytes = (0..<((1 << 20) + 1237)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let path = dir.appendingPathComponent("blob.bin").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reference = try #require(try runTool("/usr/bin/sha256sum", [path]))
        #expect(try FileDigest.sha256(path: path) == String(reference.output.prefix(64)))
    }
}
