import CicloCore
import CicloStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Dashboard pages need a signed-in session: without one a visitor is sent to sign in (and back afterwards).
/// Every form post must carry the session's CSRF token, so another site cannot post on a user's behalf.
struct DashboardSessionMiddleware: RouterMiddleware {
    typealias Context = CicloRequestContext
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[DashboardCookie.session]?.value, !token.isEmpty,
              let signedIn = try await store.dashboardSession(token: token) else {
            let back = request.method == .get ? request.uri.description : "/overview"
            var response = DashboardResponse.redirect(to: "/sign-in?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            if request.cookies[DashboardCookie.session] != nil { response.headers.append(DashboardCookie.expired(DashboardCookie.session)) }
            return response
        }
        var context = context
        context.signedIn = signedIn
        context.sessionToken = token
        context.workspace = signedIn.workspace
        context.logger[metadataKey: "user"] = .string(signedIn.user.email)
        context.logger[metadataKey: "workspace"] = .string(signedIn.workspace.name)
        guard request.method != .get && request.method != .head else { return try await next(request, context) }

        var request = request
        let form = try await DashboardForm.read(&request)
        let sent = form.raw("_csrf") ?? request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
        guard DashboardCookie.sameToken(sent, signedIn.csrfToken) else {
            return DashboardResponse.plainError(status: .forbidden, title: "This form has expired",
                message: "The page was open too long or came from another site. Go back, reload the page and try again.")
        }
        context.form = form
        return try await next(request, context)
    }
}

extension CicloRequestContext {
    /// The signed-in session; routes behind the dashboard middleware can rely on it.
    func dashboard() throws -> DashboardSignedIn {
        guard let signedIn else { throw HTTPError(.unauthorized) }
        return signedIn
    }

    /// Throws unless the user's role is at least `role`.
    func require(_ role: DashboardRole) throws {
        let current = try dashboard().role
        guard current >= role else {
            throw CicloError(.forbidden, code: "forbidden",
                "Your role (\(current.rawValue)) cannot do this; it needs \(role.rawValue). Ask an admin of this workspace.")
        }
    }

    /// The checked form of a post.
    func submitted() throws -> DashboardForm {
        guard let form else { throw CicloError.badRequest("missing_form", "Send the form.") }
        return form
    }
}

/// The dashboard's cookies.
enum DashboardCookie {
    static let session = "ciclo_session"
    /// The sign-in form's double-submit token (there is no session yet to hold one).
    static let signIn = "ciclo_signin"

    static func make(_ name: String, value: String, secure: Bool, maxAge: Int? = nil) -> HTTPField {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Lax"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if secure { text += "; Secure" }
        return HTTPField(name: .setCookie, value: text)
    }

    static func expired(_ name: String) -> HTTPField {
        HTTPField(name: .setCookie, value: "\(name)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }

    /// Compares tokens in time independent of where they differ.
    static func sameToken(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
