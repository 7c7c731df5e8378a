/// Why one message of a request was not stored.
public struct IngestRejection: Error, Sendable, Equatable, Codable {
    /// A stable code such as `no_user_anon_id`.
    public var code: String
    /// What is wrong, for people.
    public var message: String

    /// Creates a rejection.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    static let noUserOrAnonymousId = IngestRejection(
        code: "no_user_anon_id", message: "The message needs a userId or an anonymousId.")
}
