import AsyncHTTPClient
import CicloCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Makes the outbound requests the egress policy governs: each URL is vetted first, the connection goes to the very
/// address that was vetted (a pinned client per host and address, so a second DNS answer cannot redirect it), and
/// redirects are followed only after the new URL is vetted in turn.
public actor EgressClient {
    /// The process's one set of connection pools, like `HTTPClient.shared`: pools live as long as the process, so
    /// connections to push services are reused across deliveries, whichever policy a request is judged by.
    public static let shared = EgressClient()

    /// Clients that connect to one vetted address for one host name, reused while the name keeps resolving there.
    private var pinned: [String: (client: HTTPClient, used: ContinuousClock.Instant)] = [:]
    private let direct: HTTPClient
    static let maxPinned = 64
    static let maxRedirects = 3

    private init() {
        direct = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: Self.configuration(dnsOverride: [:]))
    }

    static func configuration(dnsOverride: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(30)))
        configuration.dnsOverride = dnsOverride
        return configuration
    }

    /// Sends `request` after vetting its URL (and every 307/308 redirect's) by `policy`; throws `EgressRefused` when refused.
    public func execute(_ request: HTTPClientRequest, policy: EgressPolicy, timeout: TimeAmount) async throws -> HTTPClientResponse {
        var request = request
        for _ in 0...Self.maxRedirects {
            let vetted = try await policy.vet(request.url)
            let client = vetted.pinned ? client(for: vetted) : direct
            let response = try await client.execute(request, timeout: timeout)
            guard [307, 308].contains(response.status.code), let location = response.headers.first(name: "location"),
                  let next = URL(string: location, relativeTo: URL(string: request.url))?.absoluteString else { return response }
            _ = try? await response.body.collect(upTo: 64 * 1024)
            request.url = next
        }
        throw EgressRefused(reason: "more than \(Self.maxRedirects) redirects")
    }

    private func client(for vetted: VettedEgress) -> HTTPClient {
        let key = "\(vetted.target.host)|\(vetted.address)"
        if let entry = pinned[key] {
            pinned[key]?.used = .now
            return entry.client
        }
        if pinned.count >= Self.maxPinned, let oldest = pinned.min(by: { $0.value.used < $1.value.used }) {
            pinned[oldest.key] = nil
            let retired = oldest.value.client
            Task { try? await retired.shutdown() }
        }
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                configuration: Self.configuration(dnsOverride: [vetted.target.host: vetted.address.description]))
        pinned[key] = (client, .now)
        return client
    }
}
