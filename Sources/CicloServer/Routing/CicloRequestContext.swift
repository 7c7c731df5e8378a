import CicloStore
import Hummingbird
import Logging

/// The per-request state of Ciclo's routes: the workspace an admin token or write key authenticated.
public struct CicloRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The workspace the request acts in, once authenticated.
    public var workspace: Workspace?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Tracking bodies are bounded by our own limit (500 KB after decompression), checked in the handler.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    /// The authenticated workspace; routes behind the auth middleware can rely on it.
    func requireWorkspace() throws -> Workspace {
        guard let workspace else { throw HTTPError(.unauthorized) }
        return workspace
    }
}
