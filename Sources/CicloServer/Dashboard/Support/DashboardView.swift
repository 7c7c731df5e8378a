import CicloCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache

/// A page's data beside the chrome; templates open `{{#page}}` so page names shadow chrome names.
struct PageContext<Page>: @unchecked Sendable {
    var chrome: DashboardChrome
    var page: Page
    var title: String
}

/// The dashboard's Mustache templates, parsed once, and the one way pages are rendered.
enum DashboardView {
    /// Every template by name; a template that does not parse stops the process at start, and tests render them all.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in DashboardTemplates.all {
            do {
                try library.register(text, named: name)
            } catch {
                fatalError("dashboard template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// Renders `template` with the chrome for `context`'s session.
    static func render<Page>(_ template: String, title: String, page: Page, request: Request, context: CicloRequestContext,
                             status: HTTPResponse.Status = .ok, relaxedFrames: Bool = false) throws -> Response {
        let signedIn = try context.dashboard()
        let notice = QueryParameters(request: request).get("notice")
        let chrome = DashboardChrome(signedIn, path: request.uri.path, notice: notice)
        guard let html = library.render(PageContext(chrome: chrome, page: page, title: title), withTemplate: template) else {
            throw CicloError(.internalError, code: "missing_template", "No dashboard template \(template).")
        }
        // An email preview sits in a sandboxed srcdoc frame, which inherits this page's policy: let its inline
        // styles and remote images through, and nothing else.
        let headers: [HTTPField] = relaxedFrames
            ? [HTTPField(name: .contentSecurityPolicy, value: DashboardResponse.contentSecurityPolicy
                .replacingOccurrences(of: "style-src 'self'", with: "style-src 'self' 'unsafe-inline'")
                .replacingOccurrences(of: "img-src 'self' data:", with: "img-src * data:"))]
            : []
        return DashboardResponse.html(html, status: status, headers: headers)
    }
}

/// Turns errors on dashboard pages into a page in the dashboard (not a JSON body), with the right status.
struct DashboardErrorMiddleware: RouterMiddleware {
    typealias Context = CicloRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as CicloError {
            if error.kind == .internalError || error.kind == .unavailable {
                context.logger.error("dashboard page failed", metadata: ["code": "\(error.code)", "error": "\(error.message)"])
            }
            return try page(status: error.kind.status, title: Self.title(error.kind.status), message: error.message, request, context)
        } catch let error as HTTPError {
            return try page(status: error.status, title: Self.title(error.status),
                            message: error.body ?? ErrorMiddleware<Context>.defaultMessage(error.status), request, context)
        } catch {
            context.logger.error("dashboard page failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try page(status: .internalServerError, title: "Something went wrong",
                            message: "Something went wrong on our side; it has been logged.", request, context)
        }
    }

    private func page(status: HTTPResponse.Status, title: String, message: String, _ request: Request, _ context: Context) throws -> Response {
        guard context.signedIn != nil else { return DashboardResponse.plainError(status: status, title: title, message: message) }
        return try DashboardView.render("error", title: title, page: ["heading": title, "message": message],
                                        request: request, context: context, status: status)
    }

    static func title(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400, 422: "That did not work"
        case 403: "Not allowed"
        case 404: "Not found"
        case 409: "Conflict"
        default: "Something went wrong"
        }
    }
}
