import CicloCore
import Foundation
import Testing

@testable import CicloEngine

/// The egress policy on its own: addresses, names after resolution, and the allowlist.
@Suite("Egress policy")
struct EgressPolicyTests {
    @Test("private, loopback, link-local, shared, documentation, multicast and reserved addresses are not public", arguments: [
        "127.0.0.1", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
        "255.255.255.255", "192.0.2.10", "198.18.0.1", "::1", "::", "fe80::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1",
        "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "2001:db8::1", "2001:0::1",
    ])
    func notPublic(text: String) throws {
        let ip = try #require(IPAddress(text))
        #expect(!ip.isPublic, "\(text)")
    }

    @Test("public addresses are public", arguments: ["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
    func isPublic(text: String) throws {
        #expect(try #require(IPAddress(text)).isPublic, "\(text)")
    }

    @Test("names are judged by every address they resolve to: localhost is refused even spelled as a public-looking name")
    func resolution() async throws {
        let policy = EgressPolicy()
        await #expect(throws: EgressRefused.self) { _ = try await policy.vet("https://localhost./x") }
        await #expect(throws: EgressRefused.self) { _ = try await policy.vet("https://127.0.0.1/x") }
        await #expect(throws: EgressRefused.self) { _ = try await policy.vet("https://no-such-host.invalid/x") }
        let allowed = try EgressPolicy(allowlist: "localhost, 10.0.0.0/8")
        #expect(try await allowed.vet("http://localhost:9/x").address.isPublic == false)
        #expect(allowed.refusal("http://10.2.3.4/hook") == nil)
        #expect(allowed.refusal("http://11.2.3.4/hook") != nil, "http to a public address that is not allowlisted")
        #expect(throws: CicloError.self) { try EgressPolicy(allowlist: "not a host!") }
    }

    @Test("wildcard host entries allow subdomains only")
    func wildcard() throws {
        let policy = try EgressPolicy(allowlist: "*.corp.example")
        #expect(policy.refusal("http://hooks.corp.example/x") == nil)
        #expect(policy.refusal("http://corp.example.evil/x") != nil)
    }
}
