import CicloCore
import CicloServer
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A signed-in dashboard user for tests: the session cookie and the CSRF token its forms carry.
struct DashboardUserSession {
    let cookie: String
    let csrf: String

    /// Adds a user with `role` to the app's workspace and starts a session without going through bcrypt sign-in.
    static func start(_ app: TestApp, role: DashboardRole, email: String? = nil) async throws -> DashboardUserSession {
        let workspace = try await app.store.workspace(named: app.credentials.workspace)
        let user = try await app.store.addDashboardUser(email: email ?? "\(role.rawValue)@shop.example", passwordHash: "unused",
                                                         workspaceId: workspace.id, role: role)
        let token = try await app.store.startDashboardSession(userId: user.id)
        let csrf = try await app.store.dashboardSession(token: token)!.csrfToken
        return DashboardUserSession(cookie: "ciclo_session=\(token)", csrf: csrf)
    }

    var headers: HTTPFields { [.cookie: cookie] }

    /// Headers for a form post.
    var formHeaders: HTTPFields { [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"] }

    /// A URL-encoded form body with this session's CSRF token added.
    func form(_ fields: [(String, String)], csrf include: Bool = true) -> ByteBuffer {
        let all = (include ? [("_csrf", csrf)] : []) + fields
        return ByteBuffer(string: all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }
}
