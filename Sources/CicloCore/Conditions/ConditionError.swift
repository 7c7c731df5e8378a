/// A condition that does not parse, with the path of the bad part (`all[2].op`).
public struct ConditionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the JSON document the problem is.
    public var path: String
    /// What is wrong.
    public var reason: String

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }

    /// The error as a domain error for APIs.
    public var asCicloError: CicloError { .badRequest("invalid_condition", description) }
}
