import AsyncHTTPClient
import CicloCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends a demo shop through the tracking API as an SDK would: `/v1/batch` requests of 500 messages, in order.
struct DemoOverHTTP {
    let shop: DemoShop
    let baseURL: String
    let writeKey: String

    func send(progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Int {
        let client = HTTPClient.shared
        let auth = "Basic " + Data("\(writeKey):".utf8).base64EncodedString()
        var sent = 0
        for start in stride(from: 0, to: shop.parameters.profiles, by: 500) {
            let end = min(start + 500, shop.parameters.profiles)
            let events = shop.events(forVisitors: start..<end)
            for chunk in stride(from: 0, to: events.count, by: 500) {
                let slice = events[chunk..<min(chunk + 500, events.count)]
                let body: JSONValue = ["batch": .array(slice.map(\.segmentMessage))]
                var request = HTTPClientRequest(url: baseURL + "/v1/batch")
                request.method = .POST
                request.headers.add(name: "Authorization", value: auth)
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
                let response = try await client.execute(request, timeout: .seconds(60))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                guard response.status == .ok else {
                    throw CicloError(.unavailable, code: "demo_send_failed", "The tracking API answered \(response.status.code): \(text)")
                }
                sent += slice.count
            }
            progress(end, sent)
        }
        return sent
    }
}

extension Event {
    /// The event as the Segment message an SDK would have sent.
    var segmentMessage: JSONValue {
        var m: [String: JSONValue] = ["type": .string(type.rawValue), "messageId": .string(messageId),
                                      "timestamp": .string(ISO8601.format(timestamp)), "context": context]
        if let userId { m["userId"] = .string(userId) }
        if let anonymousId { m["anonymousId"] = .string(anonymousId) }
        if let event { m["event"] = .string(event) }
        if let name { m["name"] = .string(name) }
        if type == .identify || type == .group { m["traits"] = traits } else { m["properties"] = properties }
        if let groupId { m["groupId"] = .string(groupId) }
        if let previousId { m["previousId"] = .string(previousId) }
        return .object(m)
    }
}
