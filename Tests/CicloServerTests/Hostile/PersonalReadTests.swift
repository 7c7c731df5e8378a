import CicloCore
import CicloServer
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 17, case 7: the public write key does not read a named person's views, stage or messages.
@Suite("Personal reads need the person's signed token")
struct PersonalReadTests {
    @Test("recently viewed, next content and personalize refuse a bare userId; a signed one, or the browser's own anonymousId, works",
          arguments: ["/v1/recommendations?strategy=recently_viewed", "/v1/content/next?limit=1", "/v1/personalize?slots=content"])
    func signedOnly(path: String) async throws {
        try await TestApp.run { app, client in
            try await app.track(client, #"{"type":"identify","userId":"vip","anonymousId":"browser-9","traits":{"email":"vip@example.com"}}"#)
            try await app.track(client, #"{"type":"track","userId":"vip","event":"Product Viewed","properties":{"product_id":"secret-gift"}}"#)
            try await app.process()
            let key = "writeKey=\(app.credentials.writeKey)"
            try await client.execute(uri: "\(path)&\(key)&userId=vip", method: .get) {
                #expect($0.status == .forbidden && $0.json["code"] == "user_signature_required", "\(path): \($0.json)")
                #expect(!String(buffer: $0.body).contains("secret-gift"))
            }
            try await client.execute(uri: "\(path)&\(key)&userId=vip&expires=4102444799&signature=00", method: .get) {
                #expect($0.status == .forbidden && $0.json["code"] == "invalid_signature")
            }
            let signed = try await app.signedUser(client, "vip")
            try await client.execute(uri: "\(path)&\(key)&\(signed)", method: .get) { #expect($0.status == .ok, "\($0.json)") }
            try await client.execute(uri: "\(path)&\(key)&anonymousId=browser-9", method: .get) { #expect($0.status == .ok) }
            if path.contains("recently_viewed") {
                try await client.execute(uri: "\(path)&\(key)&\(signed)", method: .get) {
                    #expect($0.json["items"]?.arrayValue?.first?["productId"] == "secret-gift")
                }
            }
        }
    }
}
