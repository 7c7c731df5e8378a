import CicloCore
@testable import CicloServer
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Dashboard access: sign-in, roles, CSRF")
struct DashboardAccessTests {
    static let pages = ["/overview", "/lifecycle", "/people", "/people/1", "/segments", "/segments/new", "/segments/repeat-customers",
                        "/journeys", "/journeys/new", "/templates", "/templates/welcome-1", "/messages", "/settings", "/predictions", "/analytics"]

    @Test("a signed-out visitor is sent to sign-in from every page, and comes back after")
    func signedOutRedirects() async throws {
        try await TestApp.run { _, client in
            for page in Self.pages {
                try await client.execute(uri: page, method: .get) { response in
                    #expect(response.status == .seeOther, "\(page)")
                    #expect(response.headers[.location] == "/sign-in?next=" + page.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, "\(page)")
                }
            }
            try await client.execute(uri: "/segments/new", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "name=x")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/sign-in") == true)
            }
        }
    }

    @Test("every page renders for an admin, with security headers", arguments: TestDatabase.engines)
    func everyPageRenders(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let admin = try await DashboardUserSession.start(app, role: .admin)
            for page in Self.pages.filter({ $0 != "/people/1" && $0 != "/segments/repeat-customers" }) {
                try await client.execute(uri: page, method: .get, headers: admin.headers) { response in
                    #expect(response.status == .ok, "\(page): \(response.text.prefix(300))")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                    #expect(response.text.contains("<main id=\"main\""), "\(page)")
                    for sigil in ["{{#", "{{/", "{{^", "{{$", "{{<", "{{{"] {
                        #expect(!response.text.contains(sigil), "\(page) has an unrendered Mustache tag")
                    }
                }
            }
        }
    }

    @Test("sign-in checks the password and the form token; sign-out ends the session")
    func signInAndOut() async throws {
        try await TestApp.run { app, client in
            let workspace = try await app.store.workspace(named: app.credentials.workspace)
            try await app.store.addDashboardUser(email: "Ada@Shop.example", passwordHash: try await PasswordHashing.hash("correct horse battery"),
                                                 workspaceId: workspace.id, role: .marketer)
            let formToken = try await client.execute(uri: "/sign-in", method: .get) { response -> String in
                #expect(response.status == .ok)
                let cookie = response.headers[.setCookie] ?? ""
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
                return String(cookie.split(separator: ";")[0].split(separator: "=")[1])
            }
            func post(_ password: String, token: String = formToken) async throws -> TestResponse {
                try await client.execute(uri: "/sign-in", method: .post,
                                         headers: [.cookie: "ciclo_signin=\(formToken)", .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "_csrf=\(token)&email=ada%40shop.example&password=\(password)&next=%2Fsegments")) { $0 }
            }
            let wrong = try await post("wrong+password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("do not match"))
            #expect(wrong.headers[.setCookie]?.contains("ciclo_session") != true)
            let forged = try await post("correct+horse+battery", token: "forged")
            #expect(forged.status == .forbidden)
            let right = try await post("correct+horse+battery")
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/segments")
            let session = String((right.headers[values: .setCookie].first { $0.hasPrefix("ciclo_session=") } ?? "").split(separator: ";")[0])
            #expect(!session.isEmpty)
            try await client.execute(uri: "/segments", method: .get, headers: [.cookie: session]) { #expect($0.status == .ok) }
            let csrf = try await app.store.dashboardSession(token: String(session.dropFirst("ciclo_session=".count)))!.csrfToken
            try await client.execute(uri: "/sign-out", method: .post, headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "_csrf=\(csrf)")) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/segments", method: .get, headers: [.cookie: session]) { #expect($0.status == .seeOther) }
        }
    }

    @Test("sign-in never redirects to another site")
    func safeNext() {
        #expect(SignInRoutes.safeNext("https://evil.example/") == "/overview")
        #expect(SignInRoutes.safeNext("//evil.example/") == "/overview")
        #expect(SignInRoutes.safeNext("/\\evil.example") == "/overview")
        #expect(SignInRoutes.safeNext("/people/3?after=1.2") == "/people/3?after=1.2")
    }

    @Test("a form post without the session's CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await TestApp.run { app, client in
            let marketer = try await DashboardUserSession.start(app, role: .marketer)
            let fields = [("name", "VIPs"), ("key", "vips"), ("mode", "json"), ("document", #"{"attribute": "order_count", "op": "gte", "value": 5}"#)]
            for body in [marketer.form(fields, csrf: false), marketer.form([("_csrf", "not-the-token")] + fields, csrf: false)] {
                try await client.execute(uri: "/segments/new", method: .post, headers: marketer.formHeaders, body: body) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.text.contains("expired"))
                }
            }
            let workspace = try await app.store.workspace(named: app.credentials.workspace)
            #expect(try await app.store.segment(workspaceId: workspace.id, key: "vips") == nil)
            try await client.execute(uri: "/segments/new", method: .post, headers: marketer.formHeaders, body: marketer.form(fields)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/segments/vips?notice=saved")
            }
            #expect(try await app.store.segment(workspaceId: workspace.id, key: "vips")?.definition.name == "VIPs")
        }
    }

    @Test("a viewer sees no edit controls and cannot change anything")
    func viewerIsReadOnly() async throws {
        try await TestApp.run { app, client in
            let viewer = try await DashboardUserSession.start(app, role: .viewer)
            try await client.execute(uri: "/segments", method: .get, headers: viewer.headers) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("New segment"))
            }
            try await client.execute(uri: "/segments/new", method: .get, headers: viewer.headers) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/segments/new", method: .post, headers: viewer.formHeaders,
                                     body: viewer.form([("name", "x"), ("key", "x"), ("mode", "json"), ("document", #"{"always": true}"#)])) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("viewer"))
            }
            try await client.execute(uri: "/settings/rules", method: .post, headers: viewer.formHeaders, body: viewer.form([("control", "10")])) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/settings", method: .get, headers: viewer.headers) { response in
                #expect(!response.text.contains(app.credentials.writeKey), "write keys are for admins")
            }
            let workspace = try await app.store.workspace(named: app.credentials.workspace)
            #expect(try await app.store.segment(workspaceId: workspace.id, key: "x") == nil)
            #expect(try await app.store.journeyRules(workspaceId: workspace.id).controlShare == 0)
        }
    }

    @Test("the workspace switcher only reaches workspaces the user belongs to")
    func workspaceSwitcher() async throws {
        try await TestApp.run { app, client in
            let admin = try await DashboardUserSession.start(app, role: .admin, email: "owner@shop.example")
            _ = try await app.store.createWorkspace(named: "outlet")
            let outlet = try await app.store.workspace(named: "outlet")
            _ = try await app.store.createWorkspace(named: "stranger")
            let stranger = try await app.store.workspace(named: "stranger")
            try await client.execute(uri: "/workspace", method: .post, headers: admin.formHeaders, body: admin.form([("workspace", String(stranger.id))])) {
                #expect($0.status == .forbidden)
            }
            try await app.store.addDashboardUser(email: "owner@shop.example", passwordHash: "unused", workspaceId: outlet.id, role: .viewer)
            try await client.execute(uri: "/workspace", method: .post, headers: admin.formHeaders, body: admin.form([("workspace", String(outlet.id))])) {
                #expect($0.status == .seeOther)
            }
            try await client.execute(uri: "/overview", method: .get, headers: admin.headers) { response in
                #expect(response.text.contains("<option value=\"\(outlet.id)\" selected>outlet</option>"))
                #expect(response.text.contains("<span class=\"badge\">viewer</span>"), "the role is the one in the new workspace")
            }
        }
    }
}
