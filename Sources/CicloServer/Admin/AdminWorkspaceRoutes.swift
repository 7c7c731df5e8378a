import CicloCore
import CicloEngine
import CicloStore
import Hummingbird

/// `/api/v1/workspace` and its sources: who am I, and which keys write here.
struct AdminWorkspaceRoutes {
    let environment: ServerEnvironment

    struct WorkspaceView: Codable {
        var id: Int64
        var name: String
        var timeZone: String
        /// What webhook receivers check `X-Ciclo-Signature` with.
        var webhookSigningSecret: String
        var storefrontSigningSecret: String
        var sources: [SourceView]
    }

    struct SourceView: Codable {
        var id: Int64
        var name: String
        var writeKey: String
        var enabled: Bool
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("workspace") { _, context in
            let workspace = try context.requireWorkspace()
            let sources = try await environment.store.sources(workspaceId: workspace.id)
            return JSONResponse.make(WorkspaceView(
                id: workspace.id, name: workspace.name, timeZone: workspace.timeZone,
                webhookSigningSecret: WebhookSender.signingSecret(workspaceSecret: workspace.secret),
                storefrontSigningSecret: StorefrontIdentity.signingSecret(workspaceSecret: workspace.secret),
                sources: sources.map { SourceView(id: $0.id, name: $0.name, writeKey: $0.writeKey, enabled: $0.enabled) }))
        }
    }
}
