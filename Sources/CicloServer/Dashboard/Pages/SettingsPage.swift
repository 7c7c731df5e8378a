import CicloCore
import CicloEngine
import CicloStore
import Foundation
import Hummingbird

/// Settings: sources and write keys with the snippet, admin tokens, channels, sending rules and users.
struct SettingsPage {
    let store: Store
    let channels: ChannelSettings

    struct SourceRow { var name: String; var writeKey: String; var enabled: Bool }
    struct TokenRow { var id: Int64; var name: String; var created: String; var revoked: String? }
    struct Channel { var name: String; var status: String; var detail: String }
    struct Cap { var channel: String; var limit: String; var days: String }
    struct Member { var userId: Int64; var email: String; var roles: [RoleOption]; var lastSignIn: String; var isMe: Bool }
    struct RoleOption { var value: String; var selected: Bool }
    /// Something turned away at ingest or set aside by a background step.
    struct Problem { var when: String; var stage: String; var item: String; var reason: String }
    struct Model {
        var sources: [SourceRow]; var snippetKey: String; var publicURL: String; var publicHost: String; var publicScheme: String
        var tokens: [TokenRow]; var newToken: String?; var newPassword: String?; var newPasswordFor: String?
        var channels: [Channel]
        var caps: [Cap]; var quietStart: String; var quietEnd: String; var quietOff: Bool; var quietHold: Bool
        var controlPercent: String; var defaultTimeZone: String; var rulesError: String?
        var members: [Member]; var memberError: String?; var sourceError: String?
        var problems: [Problem]; var problemSummary: String
        // Stored, not computed: templates read the model by reflection, which sees stored properties only.
        var hasProblems: Bool
    }

    func register(on group: RouterGroup<CicloRequestContext>) {
        group.get("settings") { request, context in try await show(request, context) }
        group.post("settings/sources") { request, context in
            try context.require(.admin)
            let workspace = try context.dashboard().workspace
            do {
                _ = try await store.createSource(workspaceId: workspace.id, name: try context.submitted()["name"] ?? "")
            } catch let error as CicloError where error.kind == .badRequest || error.kind == .conflict {
                return try await show(request, context, sourceError: error.message, status: error.kind.status)
            }
            return DashboardResponse.redirect(to: "/settings?notice=saved")
        }
        group.post("settings/sources/:name/toggle") { _, context in
            try context.require(.admin)
            let workspace = try context.dashboard().workspace
            let name = try context.parameters.require("name")
            guard let source = try await store.sources(workspaceId: workspace.id).first(where: { $0.name == name }) else {
                throw CicloError.notFound("Source \(name)")
            }
            try await store.setSourceEnabled(workspaceId: workspace.id, name: name, enabled: !source.enabled)
            return DashboardResponse.redirect(to: "/settings?notice=saved")
        }
        group.post("settings/tokens") { request, context in
            try context.require(.admin)
            let workspace = try context.dashboard().workspace
            let name = try context.submitted()["name"] ?? "dashboard"
            let token = try await store.createAdminToken(workspace: workspace.name, name: String(name.prefix(100)))
            return try await show(request, context, newToken: token)
        }
        group.post("settings/tokens/:id/revoke") { _, context in
            try context.require(.admin)
            guard let id = context.parameters.get("id", as: Int64.self) else { throw CicloError.notFound("Token") }
            try await store.revokeAdminToken(workspaceId: try context.dashboard().workspace.id, id: id)
            return DashboardResponse.redirect(to: "/settings?notice=saved")
        }
        group.post("settings/rules") { request, context in
            try context.require(.marketer)
            let workspace = try context.dashboard().workspace
            do {
                try await store.setJourneyRules(workspaceId: workspace.id, try Self.rules(try context.submitted()))
            } catch let error as CicloError where error.kind == .badRequest {
                return try await show(request, context, rulesError: error.message, status: .badRequest)
            }
            return DashboardResponse.redirect(to: "/settings?notice=rules")
        }
        group.post("settings/members") { request, context in
            try context.require(.admin)
            let workspace = try context.dashboard().workspace
            let form = try context.submitted()
            do {
                let role = try DashboardRole.parse(form["role"] ?? "")
                let email = form["email"] ?? ""
                let password = PasswordHashing.generate()
                let isNewUser = try await store.dashboardUser(email: email) == nil
                _ = try await store.addDashboardUser(email: email, passwordHash: try await PasswordHashing.hash(password),
                                                     workspaceId: workspace.id, role: role)
                if isNewUser { return try await show(request, context, newPassword: password, newPasswordFor: email.lowercased()) }
            } catch let error as CicloError where error.kind == .badRequest || error.kind == .conflict {
                return try await show(request, context, memberError: error.message, status: error.kind.status)
            }
            return DashboardResponse.redirect(to: "/settings?notice=member")
        }
        group.post("settings/members/:id") { request, context in
            try context.require(.admin)
            let workspace = try context.dashboard().workspace
            guard let id = context.parameters.get("id", as: Int64.self) else { throw CicloError.notFound("Member") }
            let form = try context.submitted()
            do {
                let role = form["intent"] == "remove" ? nil : try DashboardRole.parse(form["role"] ?? "")
                try await store.setDashboardRole(workspaceId: workspace.id, userId: id, role: role)
            } catch let error as CicloError where error.kind == .badRequest || error.kind == .conflict {
                return try await show(request, context, memberError: error.message, status: error.kind.status)
            }
            return DashboardResponse.redirect(to: "/settings?notice=member")
        }
    }

    /// Sending rules from the form: a cap per channel with a limit, quiet hours unless switched off, a control share.
    static func rules(_ form: DashboardForm) throws -> JourneyRules {
        var caps: [JSONValue] = []
        for channel in ["email", "sms", "whatsapp", "push"] {
            guard let limitText = form["cap-\(channel)"] else { continue }
            guard let limit = Int(limitText), limit >= 0 else { throw CicloError.badRequest("invalid_rules", "The \(channel) cap must be a whole number.") }
            guard let days = Double(form["cap-\(channel)-days"] ?? "7"), days > 0 else {
                throw CicloError.badRequest("invalid_rules", "The \(channel) cap needs a number of days above zero.")
            }
            caps.append(["channel": .string(channel), "limit": .int(Int64(limit)), "window": ["days": .double(days)]])
        }
        guard let percent = Double(form["control"] ?? "0"), (0...50).contains(percent) else {
            throw CicloError.badRequest("invalid_rules", "The control group is 0 to 50 percent of people.")
        }
        var json: [String: JSONValue] = ["caps": .array(caps), "controlShare": .double(percent / 100),
                                         "defaultTimeZone": .string(form["timezone"] ?? "UTC")]
        if form["quiet"] != "off" {
            json["quietHours"] = ["start": .string(form["quiet-start"] ?? ""), "end": .string(form["quiet-end"] ?? ""),
                                  "mode": .string(form["quiet"] == "skip" ? "skip" : "hold")]
        }
        return try JourneyRules.parse(.object(json))
    }

    private func show(_ request: Request, _ context: CicloRequestContext, newToken: String? = nil, newPassword: String? = nil,
                      newPasswordFor: String? = nil, rulesError: String? = nil, memberError: String? = nil, sourceError: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let signedIn = try context.dashboard()
        let workspace = signedIn.workspace, zone = TimeZone(identifier: workspace.timeZone) ?? .gmt
        let isAdmin = signedIn.role == .admin
        let sources = try await store.sources(workspaceId: workspace.id)
        let rules = try await store.journeyRules(workspaceId: workspace.id)
        let capFor = { (channel: String) in rules.caps.first { $0.channel == channel } }
        let problems = try await problems(workspace.id, zone: zone)
        let model = Model(
            sources: sources.map { SourceRow(name: $0.name, writeKey: isAdmin ? $0.writeKey : "hidden — admins only", enabled: $0.enabled) },
            snippetKey: isAdmin ? (sources.first { $0.enabled }?.writeKey ?? "WRITE_KEY") : "WRITE_KEY",
            publicURL: channels.publicURL,
            publicHost: channels.publicURL.components(separatedBy: "://").last ?? channels.publicURL,
            publicScheme: channels.publicURL.hasPrefix("https") ? "https" : "http",
            tokens: isAdmin ? try await store.adminTokens(workspaceId: workspace.id).map {
                TokenRow(id: $0.id, name: $0.name, created: DashboardFormat.time($0.createdAt, zone: zone),
                         revoked: $0.revokedAt.map { DashboardFormat.time($0, zone: zone) })
            } : [],
            newToken: newToken, newPassword: newPassword, newPasswordFor: newPasswordFor,
            channels: [
                Channel(name: "Email (SMTP)", status: channels.smtp == nil ? "not configured" : "configured",
                        detail: channels.smtp.map { "\($0.host):\($0.port), from \(channels.emailFrom.address)" } ?? "Set CICLO_SMTP_URL and CICLO_EMAIL_FROM."),
                Channel(name: "SMS (Twilio)", status: channels.twilio?.smsFrom == nil ? "not configured" : "configured",
                        detail: channels.twilio.map { "\($0.baseURL), from \($0.smsFrom ?? "–")" } ?? "Set CICLO_TWILIO_ACCOUNT_SID, CICLO_TWILIO_AUTH_TOKEN, CICLO_TWILIO_FROM."),
                Channel(name: "WhatsApp (Twilio)", status: channels.twilio?.whatsappFrom == nil ? "not configured" : "configured",
                        detail: channels.twilio?.whatsappFrom ?? "Set CICLO_TWILIO_WHATSAPP_FROM."),
                Channel(name: "Web push", status: "configured", detail: "VAPID keys per workspace; contact \(channels.vapidSubject)."),
                Channel(name: "Links in messages", status: "configured", detail: channels.publicURL),
                Channel(name: "Outbound requests", status: "configured",
                        detail: channels.egress.hosts.isEmpty && channels.egress.networks.isEmpty
                            ? "Push endpoints and webhooks: public https addresses only (CICLO_EGRESS_ALLOW widens it)."
                            : "Public https, and " + (channels.egress.hosts.sorted() + channels.egress.networks.map { "\($0.address)/\($0.prefix)" }).joined(separator: ", ")),
            ],
            caps: ["email", "sms", "whatsapp", "push"].map { c in
                Cap(channel: c, limit: capFor(c).map { String($0.limit) } ?? "", days: capFor(c).map { SVGChart.compact($0.window.seconds / 86_400) } ?? "7")
            },
            quietStart: rules.quietHours.map { String(format: "%02d:%02d", $0.start.hour, $0.start.minute) } ?? "21:00",
            quietEnd: rules.quietHours.map { String(format: "%02d:%02d", $0.end.hour, $0.end.minute) } ?? "08:00",
            quietOff: rules.quietHours == nil, quietHold: rules.quietHours?.hold ?? true,
            controlPercent: SVGChart.compact(rules.controlShare * 100), defaultTimeZone: rules.defaultTimeZone, rulesError: rulesError,
            members: isAdmin ? try await store.dashboardMembers(workspaceId: workspace.id).map { m in
                Member(userId: m.userId, email: m.email, roles: DashboardRole.allCases.reversed().map { RoleOption(value: $0.rawValue, selected: $0 == m.role) },
                       lastSignIn: DashboardFormat.time(m.lastSignInAt, zone: zone), isMe: m.userId == signedIn.user.id)
            } : [],
            memberError: memberError, sourceError: sourceError,
            problems: problems, problemSummary: try await problemSummary(workspace.id), hasProblems: !problems.isEmpty)
        return try DashboardView.render("settings", title: "Settings", page: model, request: request, context: context, status: status)
    }

    /// The newest ingest rejections and dead letters together, newest first.
    private func problems(_ workspaceId: Int64, zone: TimeZone) async throws -> [Problem] {
        let rejected = try await store.rejections(workspaceId: workspaceId, limit: 10).map {
            (at: $0.receivedAt, Problem(when: DashboardFormat.time($0.receivedAt, zone: zone), stage: "ingest", item: $0.code, reason: $0.message))
        }
        let set = try await store.processingDeadLetters(workspaceId: workspaceId, limit: 10).map {
            (at: $0.createdAt, Problem(when: DashboardFormat.time($0.createdAt, zone: zone), stage: $0.stage.rawValue,
                                      item: ($0.stage == .profiles ? "event " : $0.stage == .journeys ? "enrolment " : "member ") + String($0.itemId), reason: String($0.error.prefix(300))))
        }
        return (rejected + set).sorted { $0.at > $1.at }.prefix(10).map(\.1)
    }

    private func problemSummary(_ workspaceId: Int64) async throws -> String {
        let counts = try await store.processingDeadLetterCounts(workspaceId: workspaceId)
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return "No event or enrolment has been set aside." }
        let parts: [String] = ProcessingDeadLetter.Stage.allCases.compactMap { stage in counts[stage].map { "\($0) in \(stage.rawValue)" } }
        return "\(DashboardFormat.count(total)) set aside by background steps: \(parts.joined(separator: ", ")). Full list: GET /api/v1/dead-letters."
    }
}
