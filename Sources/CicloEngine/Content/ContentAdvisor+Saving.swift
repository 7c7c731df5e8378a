import CicloCore
import CicloStore
import Foundation

extension ContentAdvisor {
    /// Saves a content item after checking that its stages are stages of the workspace's lifecycle model and its
    /// personas are the workspace's personas (a misspelt `"retian"` would otherwise serve nobody, silently). The admin
    /// API, the dashboard, imports and the demo all save through here.
    public func save(workspaceId: Int64, _ item: ContentItem) async throws {
        try await check(workspaceId: workspaceId, [item])
        try await store.saveContentItem(workspaceId: workspaceId, item)
    }

    /// Throws for the first item naming a stage or persona the workspace does not have.
    public func check(workspaceId: Int64, _ items: [ContentItem]) async throws {
        let stages = try await store.lifecycleModel(workspaceId: workspaceId).stages.map(\.key)
        let personas = try await store.personas(workspaceId: workspaceId).map(\.key)
        for item in items {
            if let unknown = item.stages.first(where: { !stages.contains($0) }) {
                throw CicloError.badRequest("unknown_stage", "\(item.key): \(unknown.debugDescription) is not a stage of the lifecycle model; stages are \(stages.joined(separator: ", ")).")
            }
            if let unknown = item.personas.first(where: { !personas.contains($0) }) {
                let known = personas.isEmpty ? "there are no personas yet" : "personas are " + personas.joined(separator: ", ")
                throw CicloError.badRequest("unknown_persona", "\(item.key): \(unknown.debugDescription) is not a persona of this workspace; \(known).")
            }
        }
    }
}
