import CicloCore
import CicloEngine
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/t/o/{token}.gif` (opens) and `/t/c/{token}` (clicks): signed, so a forged or altered token gets 404 and records nothing.
struct TrackingLinkRoutes {
    let environment: ServerEnvironment
    static let pixel: [UInt8] = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00,
                                 0x00, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
                                 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B]

    func register(on router: Router<CicloRequestContext>) {
        let recorder = EngagementRecorder(environment: environment)
        router.get("t/o/:token") { _, context in
            var token = try context.parameters.require("token")
            if token.hasSuffix(".gif") { token.removeLast(4) }
            guard let (message, _) = try await recorder.message(forToken: token, kind: .open) else { throw CicloError.notFound("Message") }
            try await recorder.record("Email Opened", message: message)
            return Response(status: .ok, headers: [.contentType: "image/gif", .cacheControl: "no-store, max-age=0"],
                            body: .init(byteBuffer: ByteBuffer(bytes: Self.pixel)))
        }
        router.get("t/c/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let (message, payload) = try await recorder.message(forToken: token, kind: .click), let url = payload["u"]?.stringValue,
                  url.hasPrefix("http://") || url.hasPrefix("https://") else { throw CicloError.notFound("Link") }
            try await recorder.record("Email Link Clicked", message: message, extra: ["url": .string(url)])
            return Response(status: .found, headers: [.location: url, .cacheControl: "no-store"])
        }
    }
}
