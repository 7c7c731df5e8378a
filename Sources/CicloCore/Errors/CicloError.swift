/// What kind of failure an error is, which the HTTP edge maps to a status code.
public enum CicloErrorKind: Sendable {
    case badRequest
    case unauthorized
    case forbidden
    case notFound
    case conflict
    case payloadTooLarge
    case unsupportedMediaType
    case tooManyRequests
    case unavailable
    case internalError
}

/// A domain error with a stable machine-readable code and a message meant for people.
public struct CicloError: Error, Sendable, CustomStringConvertible {
    /// The kind, deciding the HTTP status.
    public var kind: CicloErrorKind
    /// A stable code such as `no_user_anon_id`.
    public var code: String
    /// A sentence saying what is wrong and, where possible, how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ kind: CicloErrorKind, code: String, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Bad input from a client.
    public static func badRequest(_ code: String, _ message: String) -> CicloError {
        CicloError(.badRequest, code: code, message)
    }

    /// Something named that does not exist.
    public static func notFound(_ what: String) -> CicloError {
        CicloError(.notFound, code: "not_found", "\(what) was not found.")
    }

    /// A request that conflicts with the current state.
    public static func conflict(_ code: String, _ message: String) -> CicloError {
        CicloError(.conflict, code: code, message)
    }
}
