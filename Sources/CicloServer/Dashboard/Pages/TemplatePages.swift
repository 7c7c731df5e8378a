import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// Message templates: the list, and an editor per channel with a preview for a chosen person.
struct TemplatePages {
    let store: Store

    struct Row { var key: String; var name: String; var channel: String; var topic: String }
    struct ListModel { var templates: [Row]; var channels: [String] }
    struct Part { var name: String; var label: String; var value: String; var required: Bool; var multiline: Bool; var error: String? }
    struct Rendered { var name: String; var value: String }
    struct Model {
        var isNew: Bool; var key: String; var name: String; var channel: String; var topic: String; var action: String
        var parts: [Part]; var error: String?; var keyError: String?
        var previewFor: String; var rendered: [Rendered]; var renderedHTML: String?; var previewError: String?; var hasPreview: Bool
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("templates") { request, context in
            let workspace = try context.dashboard().workspace
            let rows = try await store.messageTemplates(workspaceId: workspace.id).map {
                Row(key: $0.key, name: $0.name, channel: $0.channel, topic: $0.topic)
            }
            return try DashboardView.render("templates", title: "Templates",
                                            page: ListModel(templates: rows, channels: MessageTemplate.channelParts.keys.sorted()),
                                            request: request, context: context)
        }
        group.get("templates/new") { request, context in
            try context.require(.marketer)
            let channel = QueryParameters(request: request).get("channel") ?? "email"
            guard MessageTemplate.channelParts[channel] != nil else { throw CicloError.badRequest("invalid_channel", "No channel \(channel).") }
            let template = MessageTemplate(key: "", name: "", channel: channel, parts: [:])
            return try render(request, context, template, isNew: true)
        }
        group.post("templates/new") { request, context in
            try context.require(.marketer)
            return try await submit(request, context, existing: nil)
        }
        group.get("templates/:key") { request, context in
            let template = try await find(try context.dashboard().workspace, context)
            return try render(request, context, template, isNew: false)
        }
        group.post("templates/:key") { request, context in
            let existing = try await find(try context.dashboard().workspace, context)
            return try await submit(request, context, existing: existing)
        }
        group.post("templates/:key/delete") { _, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            let template = try await find(workspace, context)
            try await store.deleteMessageTemplate(workspaceId: workspace.id, key: template.key)
            return DashboardResponse.redirect(to: "/templates?notice=deleted")
        }
    }

    private func submit(_ request: Request, _ context: CicloRequestContext, existing: MessageTemplate?) async throws -> Response {
        // Previewing renders the submitted text, so it is editing and needs the same role as saving.
        try context.require(.marketer)
        let workspace = try context.dashboard().workspace
        let form = try context.submitted()
        let channel = existing?.channel ?? (form["channel"] ?? "email")
        guard let spec = MessageTemplate.channelParts[channel] else { throw CicloError.badRequest("invalid_channel", "No channel \(channel).") }
        var parts: [String: String] = [:]
        for name in spec.required + spec.optional { if let value = form.raw("part-" + name), !value.isEmpty { parts[name] = value } }
        let template = MessageTemplate(key: existing?.key ?? (form["key"] ?? ""), name: form["name"] ?? "", channel: channel,
                                       topic: form["topic"] ?? "marketing", parts: parts)
        if form["intent"] == "preview" {
            return try await preview(request, context, template, isNew: existing == nil, person: form["person"] ?? "")
        }
        do {
            guard !template.name.isEmpty else { throw CicloError.badRequest("missing_name", "Give the template a name.") }
            if existing == nil, try await store.messageTemplate(workspaceId: workspace.id, key: template.key) != nil {
                throw CicloError.conflict("template_exists", "A template with key \(template.key) already exists.")
            }
            try template.validate()
            try await store.saveMessageTemplate(workspaceId: workspace.id, template)
        } catch let error as CicloError where error.kind == .badRequest || error.kind == .conflict {
            return try render(request, context, template, isNew: existing == nil, error: error, status: error.kind.status)
        }
        return DashboardResponse.redirect(to: "/templates/\(template.key)?notice=saved")
    }

    /// Renders the unsaved template for a person found by profile number, email or user id.
    private func preview(_ request: Request, _ context: CicloRequestContext, _ template: MessageTemplate, isNew: Bool, person: String) async throws -> Response {
        let workspace = try context.dashboard().workspace
        var profileId = Int64(person)
        if profileId == nil, !person.isEmpty {
            let kind: IdentifierKind = person.contains("@") ? .email : .userId
            profileId = try await store.findProfiles(workspaceId: workspace.id, identifier: Identifier(kind, kind == .email ? person.lowercased() : person), limit: 1).first?.id
        }
        guard let profileId, let contact = try await store.contact(workspaceId: workspace.id, profileId: profileId) else {
            return try render(request, context, template, isNew: isNew, previewFor: person,
                              previewError: person.isEmpty ? "Name a person to preview for: profile number, email or user id." : "No one matches \(person).")
        }
        let values = MessageComposer.context(profile: contact.profile, identifiers: contact.identifiers, trigger: [:], workspace: workspace,
                                             links: ["unsubscribe": "#unsubscribe", "preferences": "#preferences"], messageId: 0)
        do {
            try template.validate()
            var rendered = try template.render(values, timeZone: TimeZone(identifier: contact.profile.computed.timeZone ?? workspace.timeZone) ?? .gmt)
            if template.channel == "sms" || template.channel == "whatsapp", let text = rendered["text"] {
                let s = SMSSegments(text)
                rendered["segments"] = "\(s.segments) (\(s.encoding.rawValue), \(s.units) characters)"
            }
            let html = rendered.removeValue(forKey: "html")
            return try render(request, context, template, isNew: isNew, previewFor: person,
                              rendered: rendered.sorted { $0.key < $1.key }.map { Rendered(name: $0.key, value: $0.value) }, renderedHTML: html)
        } catch let error as CicloError {
            return try render(request, context, template, isNew: isNew, error: error, previewFor: person, status: .badRequest)
        }
    }

    private func render(_ request: Request, _ context: CicloRequestContext, _ t: MessageTemplate, isNew: Bool, error: CicloError? = nil,
                        previewFor: String = "", rendered: [Rendered] = [], renderedHTML: String? = nil, previewError: String? = nil,
                        status: HTTPResponse.Status = .ok) throws -> Response {
        let spec = MessageTemplate.channelParts[t.channel] ?? ([], [])
        // An error that names a part goes beside that part.
        let partOfError = error.flatMap { e in (spec.required + spec.optional).first { e.message.hasPrefix($0 + ",") || e.message.hasSuffix("needs \($0).") } }
        let parts = (spec.required + spec.optional).map { name in
            Part(name: name, label: name.capitalized + (spec.required.contains(name) ? "" : " (optional)"), value: t.parts[name] ?? "",
                 required: spec.required.contains(name), multiline: ["html", "text", "body", "variables"].contains(name),
                 error: partOfError == name ? error?.message : nil)
        }
        let keyError = error.flatMap { $0.code == "invalid_key" || $0.code == "template_exists" ? $0.message : nil }
        let model = Model(isNew: isNew, key: t.key, name: t.name, channel: t.channel, topic: t.topic,
                          action: isNew ? "/templates/new" : "/templates/\(t.key)", parts: parts,
                          error: partOfError == nil && keyError == nil ? error?.message : nil, keyError: keyError, previewFor: previewFor,
                          rendered: rendered, renderedHTML: renderedHTML, previewError: previewError,
                          hasPreview: !rendered.isEmpty || renderedHTML != nil)
        return try DashboardView.render("template-editor", title: isNew ? "New template" : t.name, page: model, request: request, context: context,
                                        status: status, relaxedFrames: renderedHTML != nil)
    }

    private func find(_ workspace: Workspace, _ context: CicloRequestContext) async throws -> MessageTemplate {
        let key = try context.parameters.require("key")
        guard let template = try await store.messageTemplate(workspaceId: workspace.id, key: key) else { throw CicloError.notFound("Template \(key)") }
        return template
    }
}
