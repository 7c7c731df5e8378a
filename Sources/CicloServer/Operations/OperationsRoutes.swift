import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// `/health`, `/ready` and `/metrics`: what load balancers, orchestrators and Prometheus ask.
struct OperationsRoutes {
    let store: Store
    let role: ServerRole

    func register(on router: Router<CicloRequestContext>) {
        router.get("/health") { _, _ in
            JSONResponse.make(["status": "ok"])
        }
        router.get("/ready") { _, _ in
            if await store.isReady() {
                return JSONResponse.make(["status": "ready", "role": role.rawValue])
            }
            return JSONResponse.make(
                ErrorBody(code: "not_ready", message: "The database is unreachable or not migrated to this version."),
                status: .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            let text = CicloMetrics.registry.emitToString()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
