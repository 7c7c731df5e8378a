import CicloCore
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Requires `Authorization: Bearer <adminToken>` and puts the token's workspace on the context.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = CicloRequestContext
    let credentials: CredentialCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw CicloError(.unauthorized, code: "unauthorized",
                "Send an admin token as Authorization: Bearer <token>; create one with `ciclo token create`.")
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let workspace = try await credentials.workspace(adminToken: token) else {
            throw CicloError(.unauthorized, code: "unauthorized", "The admin token is not valid or was revoked.")
        }
        var context = context
        context.workspace = workspace
        context.logger[metadataKey: "workspace"] = .string(workspace.name)
        return try await next(request, context)
    }
}
