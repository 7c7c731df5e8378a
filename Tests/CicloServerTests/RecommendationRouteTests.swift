import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Recommendations served to sites and apps")
struct RecommendationRouteTests {
    @Test("lists honour stock, visibility, purchases and the seed; recently viewed survives sign-up; unknown people fall back; bad input is refused",
          arguments: TestDatabase.engines)
    func serving(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            let ws = try await app.workspaceId
            try await app.store.upsertProducts(workspaceId: ws, [
                CatalogueProduct(id: "p1", name: "Tent", category: "camping", price: 200), CatalogueProduct(id: "p2", name: "Stove", category: "camping", price: 60),
                CatalogueProduct(id: "p3", name: "Lamp", category: "camping", price: 30), CatalogueProduct(id: "p4", name: "Boots", category: "shoes", price: 120),
                CatalogueProduct(id: "p5", name: "Mat", category: "camping", price: 25, inStock: false),
                CatalogueProduct(id: "p6", name: "Secret", category: "camping", price: 10, hidden: true),
            ])
            var batch: [String] = []
            func view(_ who: String, _ product: String, anonymous: Bool = false) {
                let id = anonymous ? #""anonymousId":"\#(who)""# : #""userId":"\#(who)""#
                batch.append(#"{"type":"track",\#(id),"event":"Product Viewed","properties":{"product_id":"\#(product)"}}"#)
            }
            for u in 0..<10 { for p in ["p1", "p2", "p5", "p6"] { view("u\(u)", p) } }
            for u in 0..<5 { batch.append(#"{"type":"track","userId":"u\#(u)","event":"Order Completed","properties":{"order_id":"o\#(u)","products":[{"product_id":"p2"},{"product_id":"p3"}]}}"#) }
            view("anon-1", "p2", anonymous: true)
            view("anon-1", "p4", anonymous: true)
            batch.append(#"{"type":"identify","anonymousId":"anon-1","userId":"zed","traits":{"email":"zed@example.com"}}"#)
            for message in batch { try await app.track(client, message) }
            try await app.process()
            try await client.execute(uri: "/api/v1/recommendations/train", method: .post, headers: app.adminHeaders) { r in
                #expect(r.status == .ok && r.json["products"] == 6)
            }
            let key = "writeKey=\(app.credentials.writeKey)"
            func list(_ query: String) async throws -> JSONValue {
                try await client.execute(uri: "/v1/recommendations?\(key)&\(query)", method: .get) { r in
                    #expect(r.status == .ok, "\(query): \(r.json)")
                    return r.json
                }
            }
            let zed = try await app.signedUser(client, "zed"), u0 = try await app.signedUser(client, "u0"), nobody = try await app.signedUser(client, "ghost")
            try await client.execute(uri: "/v1/recommendations?\(key)&userId=zed&strategy=recently_viewed", method: .get) {
                #expect($0.status == .forbidden && $0.json["code"] == "user_signature_required", "another person's recent views need their token")
            }
            func ids(_ json: JSONValue) -> [String] { json["items"]?.arrayValue?.compactMap { $0["productId"]?.stringValue } ?? [] }

            let recent = try await list("\(zed)&strategy=recently_viewed&k=5")
            #expect(ids(recent) == ["p4", "p2"], "the anonymous views came along at sign-up, newest first")
            let personal = try await list("\(zed)&k=10")
            #expect(ids(personal).first == "p1" && personal["items"]?.arrayValue?.first?["strategy"] == "personalised")
            #expect(Set(ids(personal)).isDisjoint(with: ["p5", "p6", "p2", "p4"]), "out of stock, hidden and already touched items are left out")
            let buyer = try await list("\(u0)&k=10")
            #expect(!ids(buyer).contains("p3"), "bought already")
            let similar = try await list("strategy=similar&productId=p1&k=3")
            #expect(ids(similar).first == "p2" && !ids(similar).contains("p1"))
            let together = try await list("strategy=bought_together&productId=p2&k=3")
            #expect(ids(together).first == "p3" && together["items"]?.arrayValue?.first?["strategy"] == "bought_together")
            let ghost = try await list("\(nobody)&k=3")
            #expect(ghost["fallback"] != nil && ghost["items"]?.arrayValue?.allSatisfy { $0["strategy"] == "popular" } == true)
            #expect(ids(ghost) == ids(try await list("\(nobody)&k=3")), "the same input gives the same list")
            #expect(ids(try await list("strategy=popular&category=shoes&k=5")) == ["p4"])

            for bad in ["strategy=nope", "k=0", "k=101", "k=two", "strategy=similar"] {
                try await client.execute(uri: "/v1/recommendations?\(key)&\(bad)", method: .get) { #expect($0.status == .badRequest, "\(bad)") }
            }
            try await client.execute(uri: "/v1/recommendations?writeKey=wrong", method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}
