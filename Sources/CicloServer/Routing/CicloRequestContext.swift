import CicloStore
import Hummingbird
import Logging

/// The per-request state of Ciclo's routes: the workspace an admin token or write key authenticated.
public struct CicloRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The workspace the request acts in, once authenticated.
    public var workspace: Workspace?
    /// The dashboard session, on dashboard pages.
    public var signedIn: DashboardSignedIn?
    /// The session cookie's value, to switch workspace or sign out.
    var sessionToken: String?
    /// A dashboard form already read (and its CSRF token checked) by the session middleware.
    var form: DashboardForm?

    /// The peer's IP address as the socket saw it (not a forwarded header, which anyone can write).
    var remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Tracking bodies are bounded by our own limit (500 KB after decompression), checked in the handler.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    /// The authenticated workspace; routes behind the auth middleware can rely on it.
    func requireWorkspace() throws -> Workspace {
        guard let workspace else { throw HTTPError(.unauthorized) }
        return workspace
    }
}
