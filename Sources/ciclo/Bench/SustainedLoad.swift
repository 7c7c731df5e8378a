import AsyncHTTPClient
import CicloCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends a shop's realistic mix of events through `/v1/batch` at a target rate: request `r` is due at
/// `start + r × batch / rate`, so a server that keeps up sees the rate and one that falls behind is sent to as
/// fast as its connections answer (the achieved rate then shows it).
struct SustainedLoad: Sendable {
    let endpoint: String
    let writeKey: String
    let connections: Int
    let batch: Int
    let people: Int
    let run: UInt32

    /// What one step sent.
    struct Outcome {
        var events = 0
        var failures = 0
        var seconds = 0.0
        var latency = LatencyRecorder()
    }

    /// Sends at `rate` events per second for `seconds`, numbering events from `firstEvent`.
    func send(client: HTTPClient, rate: Int, seconds: Int, firstEvent: Int) async throws -> Outcome {
        let requests = max(1, rate * seconds / batch)
        let next = SharedCounter(), failures = SharedCounter()
        let interval = Double(batch) / Double(max(1, rate))
        let auth = "Basic " + Data("\(writeKey):".utf8).base64EncodedString()
        let started = ContinuousClock.now
        let latency = try await withThrowingTaskGroup(of: LatencyRecorder.self) { group in
            for _ in 0..<connections {
                group.addTask { [self] in
                    var recorder = LatencyRecorder()
                    while true {
                        let r = next.increment()
                        if r >= requests { break }
                        let due = started + .seconds(Double(r) * interval)
                        if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
                        let first = firstEvent + r * batch
                        var request = HTTPClientRequest(url: endpoint)
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: auth)
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(ByteBuffer(string: body(first..<(first + batch), at: Date())))
                        let sent = ContinuousClock.now
                        do {
                            let response = try await client.execute(request, timeout: .seconds(60))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            if response.status != .ok { _ = failures.increment() }
                        } catch {
                            _ = failures.increment()
                        }
                        recorder.record(ContinuousClock.now - sent)
                    }
                    return recorder
                }
            }
            return try await group.reduce(into: LatencyRecorder()) { $0.merge($1) }
        }
        return Outcome(events: requests * batch, failures: failures.value, seconds: (ContinuousClock.now - started).seconds, latency: latency)
    }

    /// A batch of the mix: of every 100 events, 40 page views, 30 product views, 10 adds to cart, 6 checkouts,
    /// 4 orders (with an id, revenue and products), 6 email opens and 4 identifies with traits, over `people` people.
    func body(_ range: Range<Int>, at date: Date) -> String {
        let stamp = ISO8601.format(date)
        return "{\"batch\":[" + range.map { event($0, stamp: stamp) }.joined(separator: ",") + "],\"sentAt\":\"\(stamp)\"}"
    }

    func event(_ i: Int, stamp: String) -> String {
        let person = (i &* 7_919) % max(1, people)
        let sku = (i &* 31) % 400
        let head = "\"messageId\":\"sustained-\(run)-\(i)\",\"userId\":\"shopper-\(person)\",\"timestamp\":\"\(stamp)\""
        let context = "\"context\":{\"ip\":\"10.1.\(person % 250).7\",\"library\":{\"name\":\"analytics-python\",\"version\":\"2.4.0\"},"
            + "\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\"}"
        let product = "\"product_id\":\"sku-\(sku)\",\"price\":\(9 + sku % 90).99,\"category\":\"Shoes\""
        switch i % 100 {
        case 0..<40:
            return "{\"type\":\"page\",\(head),\"name\":\"Home\",\"properties\":{\"url\":\"https://shop.example.com/\"},\(context)}"
        case 40..<70: return "{\"type\":\"track\",\"event\":\"Product Viewed\",\(head),\"properties\":{\(product)},\(context)}"
        case 70..<80: return "{\"type\":\"track\",\"event\":\"Product Added\",\(head),\"properties\":{\(product),\"quantity\":1},\(context)}"
        case 80..<86: return "{\"type\":\"track\",\"event\":\"Checkout Started\",\(head),\"properties\":{\"revenue\":\(20 + sku % 200)},\(context)}"
        case 86..<90:
            return "{\"type\":\"track\",\"event\":\"Order Completed\",\(head),\"properties\":{\"order_id\":\"so-\(run)-\(i)\","
                + "\"revenue\":\(20 + sku % 200).5,\"currency\":\"USD\",\"products\":[{\(product),\"quantity\":1}]},\(context)}"
        case 90..<96:
            return "{\"type\":\"track\",\"event\":\"Email Opened\",\(head),\"properties\":{\"template\":\"welcome-1\",\"channel\":\"email\"},\(context)}"
        default:
            return "{\"type\":\"identify\",\(head),\"traits\":{\"email\":\"shopper-\(person)@example.com\",\"first_name\":\"Shopper\","
                + "\"city\":\"\(["Rome", "London", "Tokyo", "Berlin"][person % 4])\"},\(context)}"
        }
    }
}
