import CicloCore
import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Where requests on data Ciclo was given (web push endpoints, journey webhooks) may go: https to public addresses,
/// checked after DNS resolution, unless the operator's allowlist (`CICLO_EGRESS_ALLOW`) names the host or its network.
/// Without it, anyone holding a write key could make the server call its own loopback or the cloud metadata service.
public struct EgressPolicy: Sendable, Equatable {
    /// Host names allowed whatever they resolve to, lower case; `*.example.com` entries are kept as `.example.com`.
    public var hosts: Set<String> = []
    /// Networks allowed, over http too.
    public var networks: [IPNetwork] = []

    /// The default policy: public https only.
    public init() {}

    /// Reads a comma-separated allowlist of host names (`hooks.internal`, `*.corp.example`) and networks (`10.0.0.0/8`).
    public init(allowlist: String) throws {
        for raw in allowlist.split(separator: ",") {
            let entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !entry.isEmpty else { continue }
            if let network = IPNetwork(entry) {
                networks.append(network)
            } else if entry.allSatisfy({ $0.isLetter || $0.isNumber || "-.*".contains($0) }) {
                hosts.insert(entry.hasPrefix("*.") ? String(entry.dropFirst()) : entry)
            } else {
                throw CicloError.badRequest("invalid_egress_allowlist", "\(entry.debugDescription) is neither a host name nor a network.")
            }
        }
    }

    /// True when the allowlist names `host` (exactly, or by a `*.` suffix).
    func allowsHost(_ host: String) -> Bool {
        hosts.contains(host) || hosts.contains { $0.hasPrefix(".") && host.hasSuffix($0) }
    }

    /// True when the allowlist names a network holding `ip`.
    func allowsAddress(_ ip: IPAddress) -> Bool { networks.contains { $0.contains(ip) } }

    /// Why `url` may not be called, judged on its text alone (what a subscription or journey is checked with when
    /// saved), or nil. Names are judged again, with their addresses, when called.
    public func refusal(_ url: String) -> String? {
        guard let target = EgressTarget(url) else { return "\(url.prefix(200).debugDescription) is not an absolute http(s) URL" }
        if allowsHost(target.host) { return nil }
        if let ip = IPAddress(target.host) {
            if allowsAddress(ip) { return nil }
            if !ip.isPublic { return "\(target.host) is not a public address" }
        } else if target.host == "localhost" || target.host.hasSuffix(".localhost") || !target.host.contains(".") {
            return "\(target.host) is not a public host name"
        }
        return target.scheme == "https" ? nil : "only https URLs may be called (\(target.scheme) was given)"
    }

    /// Resolves `url`'s host and returns the address to connect to, or throws why it may not be called.
    public func vet(_ url: String) async throws -> VettedEgress {
        if let reason = refusal(url) { throw EgressRefused(reason: reason) }
        guard let target = EgressTarget(url) else { throw EgressRefused(reason: "not a URL") }
        if let ip = IPAddress(target.host) { return VettedEgress(target: target, address: ip, pinned: false) }
        let addresses = try await Self.resolve(target.host, port: target.port)
        guard !addresses.isEmpty else { throw EgressRefused(reason: "\(target.host) does not resolve") }
        if allowsHost(target.host) { return VettedEgress(target: target, address: addresses[0], pinned: false) }
        // Every address must pass: a name that resolves to one public and one private address could be steered to either.
        if let bad = addresses.first(where: { !$0.isPublic && !allowsAddress($0) }) {
            throw EgressRefused(reason: "\(target.host) resolves to \(bad), which is not a public address")
        }
        let allowedNetwork = addresses.allSatisfy(allowsAddress)
        if target.scheme != "https" && !allowedNetwork { throw EgressRefused(reason: "only https URLs may be called") }
        return VettedEgress(target: target, address: addresses[0], pinned: true)
    }

    /// The addresses a name resolves to, from the system resolver on NIO's blocking pool.
    static func resolve(_ host: String, port: Int) async throws -> [IPAddress] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return [] }
            defer { freeaddrinfo(first) }
            var out: [IPAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let address = entry.pointee.ai_addr {
                    if entry.pointee.ai_family == AF_INET {
                        address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                            var a = sin.pointee.sin_addr
                            out.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }))
                        }
                    } else if entry.pointee.ai_family == AF_INET6 {
                        address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                            var a = sin6.pointee.sin6_addr
                            out.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) }))
                        }
                    }
                }
                cursor = entry.pointee.ai_next
            }
            return out
        }
    }
}

/// The parts of an outbound URL the policy judges.
public struct EgressTarget: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int

    /// Reads an absolute http(s) URL without credentials; nil otherwise.
    public init?(_ url: String) {
        guard url.utf8.count <= 4096, !url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }),
              let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host?.lowercased(), !host.isEmpty, components.user == nil, components.password == nil else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { return nil }
        (self.scheme, self.host, self.port) = (scheme, host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port)
    }
}

/// A target that passed the policy, with the address it was judged by.
public struct VettedEgress: Sendable {
    public var target: EgressTarget
    public var address: IPAddress
    /// True when the connection must go to `address` rather than a fresh resolution of the name (DNS rebinding).
    public var pinned: Bool
}

/// A request the egress policy refused, with the reason shown on the message.
public struct EgressRefused: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "refused by the egress policy: \(reason) (allow it with CICLO_EGRESS_ALLOW)" }
}
