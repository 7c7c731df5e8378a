import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address as its bytes (4 or 16), parsed with `inet_pton`, and whether it is a public unicast one.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses dotted IPv4 or IPv6 text (brackets allowed); nil for anything else, names included.
    public init?(_ text: String) {
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv4: Bool { bytes.count == 4 }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }

    /// True when the first `prefix` bits equal those of `network`.
    func within(_ network: [UInt8], prefix: Int) -> Bool {
        guard network.count == bytes.count, prefix <= bytes.count * 8 else { return false }
        for bit in 0..<prefix {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if bytes[bit / 8] & mask != network[bit / 8] & mask { return false }
        }
        return true
    }

    /// The IPv4 address an IPv6 one embeds (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:ab:cd::`).
    var embeddedIPv4: IPAddress? {
        guard !isIPv4 else { return nil }
        if within([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + [0, 0, 0, 0], prefix: 96)
            || within([0, 0x64, 0xFF, 0x9B] + [UInt8](repeating: 0, count: 12), prefix: 96) {
            return IPAddress(bytes: Array(bytes[12..<16]))
        }
        if within([0x20, 0x02] + [UInt8](repeating: 0, count: 14), prefix: 16) { return IPAddress(bytes: Array(bytes[2..<6])) }
        return nil
    }

    /// Reachable on the public internet: not loopback, private, link-local, shared, documentation, multicast or reserved.
    public var isPublic: Bool {
        if let inner = embeddedIPv4 { return inner.isPublic }
        let blocked = isIPv4 ? Self.blockedV4 : Self.blockedV6
        if blocked.contains(where: { within($0.network, prefix: $0.prefix) }) { return false }
        // IPv6 global unicast is 2000::/3 only; everything else (::, ::1, fc00::/7, fe80::/10, ff00::/8 ...) is not public.
        return isIPv4 || within([0x20] + [UInt8](repeating: 0, count: 15), prefix: 3)
    }

    static let blockedV4: [(network: [UInt8], prefix: Int)] = [
        ([0, 0, 0, 0], 8), ([10, 0, 0, 0], 8), ([100, 64, 0, 0], 10), ([127, 0, 0, 0], 8), ([169, 254, 0, 0], 16),
        ([172, 16, 0, 0], 12), ([192, 0, 0, 0], 24), ([192, 0, 2, 0], 24), ([192, 88, 99, 0], 24), ([192, 168, 0, 0], 16),
        ([198, 18, 0, 0], 15), ([198, 51, 100, 0], 24), ([203, 0, 113, 0], 24), ([224, 0, 0, 0], 4), ([240, 0, 0, 0], 4),
    ]

    static let blockedV6: [(network: [UInt8], prefix: Int)] = [
        ([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 12), 32),  // documentation
        ([0x20, 0x01, 0x00, 0x00] + [UInt8](repeating: 0, count: 12), 32),  // Teredo: a tunnel to anywhere
    ]
}

/// A range of addresses written as CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address.
public struct IPNetwork: Sendable, Hashable {
    public let address: IPAddress
    public let prefix: Int

    /// Parses `address/prefix` or a bare address; nil when it is neither.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let address = IPAddress(first) else { return nil }
        let width = address.bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : width
        guard let prefix, (0...width).contains(prefix) else { return nil }
        (self.address, self.prefix) = (address, prefix)
    }

    /// True when `ip` is in this range.
    public func contains(_ ip: IPAddress) -> Bool { ip.within(address.bytes, prefix: prefix) }
}
