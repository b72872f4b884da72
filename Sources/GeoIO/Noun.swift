/// A noun that agrees with the count printed before it: "1 authority", "2 authorities",
/// "1 invalid input polygon". Every count bbplan prints for people goes through one of these.
public struct Noun: Sendable, Equatable {
    public let singular: String
    public let plural: String

    /// `plural` defaults to the singular with an "s".
    public init(_ singular: String, plural: String? = nil) {
        self.singular = singular
        self.plural = plural ?? singular + "s"
    }

    /// The form for a count as it is printed: singular when it reads as 1 (a count of
    /// households 0.6 prints as "1", so "1 household").
    public func form(for count: Double) -> String { count.rounded() == 1 ? singular : plural }

    public func form(for count: Int) -> String { count == 1 ? singular : plural }

    /// The count and the noun: "1 polygon", "3 polygons". Counts in messages are small; tables
    /// and headlines format their numbers themselves and use `form(for:)`.
    public func counted(_ count: Int) -> String { "\(count) \(form(for: count))" }

    public static let authority = Noun("authority", plural: "authorities")
    public static let feature = Noun("feature")
    public static let household = Noun("household")
    public static let premises = Noun("premises", plural: "premises")
    public static let run = Noun("run")
    public static let variant = Noun("variant")
}
