import CicloCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a route throws into the JSON error body with the right status, and never lets one escape as a crash.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as CicloError {
            if error.kind == .internalError || error.kind == .unavailable {
                context.logger.error("request failed", metadata: ["code": "\(error.code)", "error": "\(error.message)"])
            }
            var headers: HTTPFields = [:]
            if error.kind == .tooManyRequests || error.kind == .unavailable {
                // Both official SDKs honour these and back off.
                headers[.retryAfter] = "1"
                headers[HTTPField.Name("X-RateLimit-Reset")!] = String(Int(context.now().timeIntervalSince1970) + 1)
            }
            return JSONResponse.error(error, headers: headers)
        } catch let error as HTTPError {
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .unauthorized: code = "unauthorized"
            case .methodNotAllowed: code = "method_not_allowed"
            case .contentTooLarge: code = "request_too_large"
            case .badRequest: code = "bad_request"
            default: code = "http_\(error.status.code)"
            }
            let message = error.body ?? Self.defaultMessage(error.status)
            return JSONResponse.make(ErrorBody(code: code, message: message), status: error.status, headers: error.headers)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return JSONResponse.make(ErrorBody(code: "internal_error", message: "Something went wrong on our side; it has been logged."),
                                     status: .internalServerError)
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No such endpoint."
        case .unauthorized: "Authentication is required."
        case .methodNotAllowed: "That method is not allowed here."
        case .contentTooLarge: "The request body is too large."
        default: status.reasonPhrase
        }
    }
}

extension RequestContext {
    /// Wall-clock now, for headers.
    func now() -> Date { Date() }
}
