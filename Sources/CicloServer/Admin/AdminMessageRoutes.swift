import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// `/api/v1/templates`, consents, suppressions, and the outbox: templates checked when saved and previewed for a
/// chosen person; consent per channel and topic; messages retried or sent by hand.
struct AdminMessageRoutes {
    let environment: ServerEnvironment

    func register(on group: RouterGroup<CicloRequestContext>) {
        let store = environment.store
        group.get("templates") { _, context in
            let workspace = try context.requireWorkspace()
            return JSONResponse.make(["templates": JSONValue.array(try await store.messageTemplates(workspaceId: workspace.id).map(Self.json))])
        }
        group.get("templates/:key") { _, context in
            let workspace = try context.requireWorkspace()
            let key = try context.parameters.require("key")
            guard let template = try await store.messageTemplate(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Template \(key)") }
            return JSONResponse.make(Self.json(template))
        }
        group.put("templates/:key") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            guard case .object(let parts) = body["parts"] ?? .null else { throw CicloError.badRequest("missing_field", "parts is required.") }
            let template = MessageTemplate(key: try context.parameters.require("key"), name: try RequestJSON.string(body, "name"),
                                           channel: try RequestJSON.string(body, "channel"), topic: body["topic"]?.stringValue ?? "marketing",
                                           parts: parts.compactMapValues(\.stringValue))
            try await store.saveMessageTemplate(workspaceId: workspace.id, template)
            return JSONResponse.make(Self.json(template))
        }
        group.delete("templates/:key") { _, context in
            let workspace = try context.requireWorkspace()
            try await store.deleteMessageTemplate(workspaceId: workspace.id, key: try context.parameters.require("key"))
            return Response(status: .noContent)
        }
        group.post("templates/:key/preview") { request, context in
            let workspace = try context.requireWorkspace()
            let key = try context.parameters.require("key")
            guard let template = try await store.messageTemplate(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Template \(key)") }
            let body = try await RequestJSON.object(request)
            guard let profileId = body["profileId"]?.intValue, let contact = try await store.contact(workspaceId: workspace.id, profileId: profileId) else {
                throw CicloError.badRequest("invalid_profile", "profileId must name a person in this workspace.")
            }
            let context = MessageComposer.context(profile: contact.profile, identifiers: contact.identifiers, trigger: body["event"] ?? [:],
                                                  workspace: workspace, links: ["unsubscribe": "#unsubscribe", "preferences": "#preferences"],
                                                  messageId: 0)
            let zone = TimeZone(identifier: contact.profile.computed.timeZone ?? workspace.timeZone) ?? .gmt
            var rendered = try template.render(context, timeZone: zone)
            if template.channel == "sms" || template.channel == "whatsapp", let text = rendered["text"] {
                let segments = SMSSegments(text)
                rendered["segments"] = "\(segments.segments) (\(segments.encoding.rawValue), \(segments.units) characters)"
            }
            return JSONResponse.make(["rendered": rendered])
        }
        group.get("profiles/:id/consents") { _, context in
            let workspace = try context.requireWorkspace()
            let id = try AdminProfileRoutes.profileId(context)
            return JSONResponse.make(["consents": try await store.consents(workspaceId: workspace.id, profileId: id)])
        }
        group.put("profiles/:id/consents") { request, context in
            let workspace = try context.requireWorkspace()
            let id = try AdminProfileRoutes.profileId(context)
            let body = try await RequestJSON.object(request)
            let channel = try RequestJSON.string(body, "channel")
            guard MessageTemplate.channelParts[channel] != nil else { throw CicloError.badRequest("invalid_channel", "Unknown channel \(channel).") }
            guard try await store.survivingProfileId(workspaceId: workspace.id, id: id) != nil else { throw CicloError.notFound("Profile \(id)") }
            try await store.setConsent(workspaceId: workspace.id, profileId: id, channel: channel, topic: body["topic"]?.stringValue ?? "*",
                                       status: try RequestJSON.string(body, "status"), source: body["source"]?.stringValue ?? "admin api")
            return JSONResponse.make(["consents": try await store.consents(workspaceId: workspace.id, profileId: id)])
        }
        group.post("suppressions") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            try await store.suppressAddress(workspaceId: workspace.id, channel: try RequestJSON.string(body, "channel"),
                                            address: try RequestJSON.string(body, "address"), reason: body["reason"]?.stringValue ?? "manual")
            return JSONResponse.make(["success": true], status: .created)
        }
        group.post("outbox/:id/retry") { _, context in
            let workspace = try context.requireWorkspace()
            guard let id = Int64(try context.parameters.require("id")) else { throw CicloError.badRequest("invalid_parameter", "id is a number.") }
            try await store.retryDelivery(workspaceId: workspace.id, id: id)
            return JSONResponse.make(["success": true])
        }
        group.post("messages") { request, context in
            let workspace = try context.requireWorkspace()
            let body = try await RequestJSON.object(request)
            guard let profileId = body["profileId"]?.intValue, try await store.survivingProfileId(workspaceId: workspace.id, id: profileId) != nil else {
                throw CicloError.badRequest("invalid_profile", "profileId must name a person in this workspace.")
            }
            let key = try RequestJSON.string(body, "template")
            guard let template = try await store.messageTemplate(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Template \(key)") }
            let idempotency = request.headers[.init("Idempotency-Key")!] ?? UUID().uuidString
            let id = try await store.queueMessage(workspaceId: workspace.id, profileId: profileId, channel: template.channel, template: key,
                                                  transactional: body["transactional"]?.boolValue ?? false, key: "api:\(workspace.id):\(idempotency)",
                                                  payload: ["trigger": body["event"] ?? [:]])
            return JSONResponse.make(["queued": id.map(JSONValue.int) ?? .null] as JSONValue, status: .accepted)
        }
    }

    static func json(_ t: MessageTemplate) -> JSONValue {
        ["key": .string(t.key), "name": .string(t.name), "channel": .string(t.channel), "topic": .string(t.topic),
         "parts": .object(t.parts.mapValues(JSONValue.string))]
    }
}
