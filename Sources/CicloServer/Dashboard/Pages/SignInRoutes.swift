import CicloCore
import CicloStore
import Foundation
import Hummingbird
import Logging
import Mustache

/// Sign in, sign out and switch workspace.
struct SignInRoutes {
    let store: Store
    let secureCookies: Bool
    let throttle = SignInThrottle()

    struct Model {
        var csrf: String
        var email: String
        var next: String
        var error: String?
    }

    func register(on router: Router<CicloRequestContext>, signedIn: RouterGroup<CicloRequestContext>) {
        router.get("sign-in") { request, _ in
            let token = SecretTokenText.random()
            return page(Model(csrf: token, email: "", next: Self.safeNext(QueryParameters(request: request).get("next")), error: nil),
                        status: .ok, cookie: token)
        }
        router.post("sign-in") { request, context in
            var request = request
            let form = try await DashboardForm.read(&request, limit: 16 * 1024)
            let next = Self.safeNext(form["next"])
            let email = (form["email"] ?? "").lowercased()
            let fresh = SecretTokenText.random()
            guard let cookie = request.cookies[DashboardCookie.signIn]?.value, DashboardCookie.sameToken(form.raw("_csrf") ?? "", cookie) else {
                return page(Model(csrf: fresh, email: email, next: next, error: "The form expired; please sign in again."),
                            status: .forbidden, cookie: fresh)
            }
            let address = context.remoteAddress
            guard await throttle.begin(email, address: address) else {
                return page(Model(csrf: fresh, email: email, next: next,
                                  error: "Too many sign-in attempts; wait 15 minutes and try again."),
                            status: .tooManyRequests, cookie: fresh)
            }
            let user = email.isEmpty ? nil : try await store.dashboardUser(email: email)
            let ok = try await PasswordHashing.verify(form.raw("password") ?? "", hash: user?.passwordHash)
            guard ok, let user else {
                context.logger.notice("dashboard sign-in refused", metadata: ["email": .string(email), "address": .string(address ?? "unknown")])
                return page(Model(csrf: fresh, email: email, next: next, error: "That email and password do not match."),
                            status: .unauthorized, cookie: fresh)
            }
            await throttle.succeeded(email, address: address)
            let token = try await store.startDashboardSession(userId: user.id)
            return DashboardResponse.redirect(to: next, headers: [
                DashboardCookie.make(DashboardCookie.session, value: token, secure: secureCookies),
                DashboardCookie.expired(DashboardCookie.signIn),
            ])
        }
        signedIn.post("sign-out") { _, context in
            if let token = context.sessionToken { try await store.endDashboardSession(token: token) }
            return DashboardResponse.redirect(to: "/sign-in", headers: [DashboardCookie.expired(DashboardCookie.session)])
        }
        signedIn.post("workspace") { _, context in
            let signedIn = try context.dashboard()
            guard let id = try context.submitted()["workspace"].flatMap(Int64.init) else {
                throw CicloError.badRequest("invalid_workspace", "Choose a workspace.")
            }
            try await store.switchDashboardWorkspace(token: context.sessionToken ?? "", userId: signedIn.user.id, workspaceId: id)
            return DashboardResponse.redirect(to: "/overview?notice=switched")
        }
    }

    private func page(_ model: Model, status: HTTPResponse.Status, cookie: String) -> Response {
        let html = DashboardView.library.render(model, withTemplate: "sign-in") ?? ""
        return DashboardResponse.html(html, status: status,
                                      headers: [DashboardCookie.make(DashboardCookie.signIn, value: cookie, secure: secureCookies, maxAge: 3600)])
    }

    /// Only local paths: `next` must not send a signed-in user to another site. Browsers drop tabs and line breaks
    /// from URLs and read `\\` as `/`, so `/%09/evil.example` or `/\\evil.example` would become `//evil.example`: a path
    /// with any white space, control character or backslash, raw or percent-encoded, is refused, as is one that
    /// starts with `//`.
    static func safeNext(_ next: String?) -> String {
        let fallback = "/overview"
        guard let next, next.utf8.count <= 2048 else { return fallback }
        for form in [next, next.removingPercentEncoding ?? next] {
            guard form.hasPrefix("/"), !form.hasPrefix("//"), !form.hasPrefix("/sign-in"),
                  !form.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" || $0.properties.isWhitespace })
            else { return fallback }
        }
        return next
    }

    static let template = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · Ciclo</title><link rel="stylesheet" href="/assets/ciclo.css"><link rel="icon" href="/assets/icon.svg" type="image/svg+xml"></head>
        <body class="bare">
        <main id="main" class="card narrow">
        <h1><span class="mark" aria-hidden="true">◐</span> Sign in to Ciclo</h1>
        <p class="sub">Lifecycle marketing on your own data.</p>
        {{#error}}<p class="error-box" role="alert" id="sign-in-error">{{error}}</p>{{/error}}
        <form method="post" action="/sign-in">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <div class="field"><label for="email">Email</label>
        <input type="email" id="email" name="email" value="{{email}}" autocomplete="username" required autofocus
        {{#error}}aria-invalid="true" aria-describedby="sign-in-error"{{/error}}></div>
        <div class="field"><label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required></div>
        <button type="submit">Sign in</button>
        </form>
        </main>
        </body>
        </html>
        """
}

/// Random form tokens for the sign-in page.
enum SecretTokenText {
    static func random() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
