/// A problem with an input or output file, reported to the user as one line:
/// `path: where: what`, e.g. `postcodes.csv: line 12: easting 'n/a' is not a number`.
public struct GeoIOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (or data source) concerned.
    public let path: String
    /// Where in it: "line 12", "feature 7", "layer 'footprint'", or empty.
    public let location: String
    /// What is wrong, as a short sentence fragment.
    public let message: String

    public init(path: String, location: String = "", _ message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    public var description: String {
        (location.isEmpty ? "\(path): \(message)" : "\(path): \(location): \(message)").printable
    }
}

extension String {
    /// The text with control characters written as escapes (`\r`, `\u{1B}`), so a message
    /// built from a file's contents stays on one line and cannot drive the terminal. C0 and C1
    /// controls and DEL are escaped (C1's U+009B is an 8-bit CSI to some terminals).
    public var printable: String {
        guard unicodeScalars.contains(where: \.isControl) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.isControl {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The most characters (Unicode scalars) of a file's content quoted in a message
    /// (docs/RELIABILITY.md).
    public static let maxExcerptCharacters = 60

    /// The text as it may be quoted from a file in a message: cut to `maxExcerptCharacters`
    /// with "…" and control characters escaped (`printable`), so a hostile or huge value never
    /// reaches the terminal, a log or the run catalogue whole.
    public var excerpt: String {
        var scalars = unicodeScalars.prefix(String.maxExcerptCharacters + 1)
        if scalars.count > String.maxExcerptCharacters {
            scalars = scalars.prefix(String.maxExcerptCharacters - 1)
            return (String(String.UnicodeScalarView(scalars)) + "…").printable
        }
        return printable
    }
}

private extension Unicode.Scalar {
    /// C0 controls, DEL and C1 controls.
    var isControl: Bool { value < 0x20 || (value >= 0x7F && value <= 0x9F) }
}
