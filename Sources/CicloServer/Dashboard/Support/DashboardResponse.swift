import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// HTML responses of the dashboard, with the headers every page carries.
enum DashboardResponse {
    /// No inline script, no third-party anything, no framing.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func html(_ body: String, status: HTTPResponse.Status = .ok, headers extra: [HTTPField] = []) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy, HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
        ]
        for field in extra { headers[field.name] = field.value }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// 303 See Other: after a form post, the browser fetches the next page with GET.
    static func redirect(to location: String, headers extra: [HTTPField] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// A page for errors met before there is a session to draw the navigation with.
    static func plainError(status: HTTPResponse.Status, title: String, message: String) -> Response {
        html("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title)) · Ciclo</title><link rel="stylesheet" href="/assets/ciclo.css"><link rel="icon" href="/assets/icon.svg" type="image/svg+xml"></head>
            <body class="bare"><main id="main" class="card narrow"><h1>\(HTMLText.escape(title))</h1><p>\(HTMLText.escape(message))</p>
            <p><a href="/overview">Back to the dashboard</a></p></main></body></html>
            """, status: status)
    }
}
