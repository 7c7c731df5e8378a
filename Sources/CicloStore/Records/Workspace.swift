/// A tenant: every row in Ciclo belongs to one workspace.
public struct Workspace: Sendable, Codable, Equatable {
    /// The workspace id.
    public var id: Int64
    /// A unique name such as `default`.
    public var name: String
    /// The IANA time zone reports and schedules use.
    public var timeZone: String
    /// The secret that signs links and storefront tokens; never shown in APIs.
    public var secret: String
    /// When it was created (ms since epoch).
    public var createdAt: Int64
}

/// A place events come from, with its write key.
public struct Source: Sendable, Codable, Equatable {
    /// The source id.
    public var id: Int64
    /// The workspace it writes into.
    public var workspaceId: Int64
    /// Its name, unique in the workspace (`web`, `ios`, `backend`).
    public var name: String
    /// The key SDKs send to authenticate.
    public var writeKey: String
    /// Disabled sources get 401.
    public var enabled: Bool
    /// When it was created (ms since epoch).
    public var createdAt: Int64
}

/// What creating a workspace hands back once: the keys are not shown again.
public struct WorkspaceCredentials: Sendable, Codable, Equatable {
    /// The workspace name.
    public var workspace: String
    /// The write key of its first source.
    public var writeKey: String
    /// A fresh admin API token (only its hash is stored).
    public var adminToken: String
}
