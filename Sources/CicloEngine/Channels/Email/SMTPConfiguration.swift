import CicloCore
import Foundation

/// Where and how to send email, from `CICLO_SMTP_URL`: `smtp://user:pass@host:port`, `smtps://` for implicit TLS,
/// `?starttls=required|optional|none` (default optional: upgrade when the server offers it), `?ca=/path/ca.pem`,
/// `?connections=N`.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: String, Sendable { case none, optional, required, implicit }
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var security: Security
    /// Trust any certificate (test servers only).
    public var insecure: Bool
    /// A PEM file of certificate authorities to trust instead of the system's (a relay with a private CA).
    public var certificateAuthorities: String?
    /// Connections kept open for reuse.
    public var connections: Int
    public var timeout: Duration

    public init(host: String, port: Int, username: String? = nil, password: String? = nil, security: Security = .optional,
                insecure: Bool = false, certificateAuthorities: String? = nil, connections: Int = 4,
                timeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.insecure = insecure
        self.certificateAuthorities = certificateAuthorities
        self.connections = connections
        self.timeout = timeout
    }

    /// Parses an SMTP URL.
    public init(url text: String) throws {
        guard let c = URLComponents(string: text), let scheme = c.scheme, ["smtp", "smtps"].contains(scheme), let host = c.host, !host.isEmpty else {
            throw CicloError.badRequest("invalid_smtp_url", "CICLO_SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465.")
        }
        let query = Dictionary((c.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        var security: Security = scheme == "smtps" ? .implicit : .optional
        if let s = query["starttls"], scheme == "smtp" {
            guard let parsed = Security(rawValue: s), parsed != .implicit else {
                throw CicloError.badRequest("invalid_smtp_url", "starttls must be required, optional or none.")
            }
            security = parsed
        }
        var connections = 4
        if let text = query["connections"] {
            guard let n = Int(text), (1...64).contains(n) else {
                throw CicloError.badRequest("invalid_smtp_url", "connections must be a number from 1 to 64.")
            }
            connections = n
        }
        let ca = query["ca"].flatMap { $0.isEmpty ? nil : $0 }
        if let ca, !FileManager.default.isReadableFile(atPath: ca) {
            throw CicloError.badRequest("invalid_smtp_url", "The certificate authority file \(ca) cannot be read.")
        }
        self.init(host: host, port: c.port ?? (scheme == "smtps" ? 465 : 587), username: c.user?.removingPercentEncoding,
                  password: c.password?.removingPercentEncoding, security: security, insecure: query["insecure"] == "true",
                  certificateAuthorities: ca, connections: connections)
    }
}
