import HTTPTypes
import Hummingbird
import NIOCore

/// `/assets/ciclo.css` and `/assets/ciclo.js`, served from the binary.
struct DashboardAssetRoutes {
    func register(on router: Router<CicloRequestContext>) {
        router.get("assets/ciclo.css") { _, _ in Self.asset(DashboardStyle.css, type: "text/css; charset=utf-8") }
        router.get("assets/ciclo.js") { _, _ in Self.asset(DashboardScript.js, type: "text/javascript; charset=utf-8") }
        router.get("assets/icon.svg") { _, _ in Self.asset(Self.icon, type: "image/svg+xml") }
        router.get("favicon.ico") { _, _ in Self.asset(Self.icon, type: "image/svg+xml") }
        router.get("/") { _, _ in DashboardResponse.redirect(to: "/overview") }
    }

    /// A half-filled circle: a cycle, half way round.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" fill="#121a2b" stroke="#5eead4" stroke-width="3"/><path d="M16 2a14 14 0 0 1 0 28z" fill="#5eead4"/></svg>
        """

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300",
                                        HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
