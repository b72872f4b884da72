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
    /// built from a file's contents stays on one line and cannot drive the terminal.
    public var printable: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
