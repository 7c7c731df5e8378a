/// Where the HTTP server listens.
public struct ServerConfiguration: Sendable {
    /// The interface to bind (`0.0.0.0` for all).
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int

    /// Creates a configuration.
    public init(host: String = "0.0.0.0", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
