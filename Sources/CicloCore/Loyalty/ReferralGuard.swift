import Foundation

/// What is known about one side of a referral when it is attributed.
public struct ReferralParty: Sendable, Equatable {
    public var profileId: Int64
    public var email: String?
    /// Anonymous ids and device ids seen for the person.
    public var devices: Set<String>
    public var shippingAddresses: Set<String>
    public var ips: Set<String>

    public init(profileId: Int64, email: String? = nil, devices: Set<String> = [], shippingAddresses: Set<String> = [], ips: Set<String> = []) {
        (self.profileId, self.email, self.devices, self.shippingAddresses, self.ips) = (profileId, email, devices, shippingAddresses, ips)
    }
}

/// The fraud guards of a referral: self-referral by normalised email, device or address is rejected, a shared IP
/// alone is held for review, a referee who already ordered is not referable, and a referrer has a yearly allowance.
public enum ReferralGuard {
    /// The verdict on an attribution.
    public enum Verdict: Sendable, Equatable {
        case pending
        case held(String)
        case rejected(String)

        public var status: String {
            switch self {
            case .pending: "pending"
            case .held: "held"
            case .rejected: "rejected"
            }
        }
        public var reason: String? {
            switch self {
            case .pending: nil
            case .held(let r), .rejected(let r): r
            }
        }
    }

    /// Judges a referral of `referee` by `referrer`.
    public static func judge(referrer: ReferralParty, referee: ReferralParty, refereeHasOrdered: Bool,
                             referralsThisYear: Int, allowance: Int) -> Verdict {
        if referrer.profileId == referee.profileId { return .rejected("self_referral") }
        if let a = referrer.email.map(normalisedEmail), let b = referee.email.map(normalisedEmail), a == b { return .rejected("same_email") }
        if !referrer.devices.isDisjoint(with: referee.devices) { return .rejected("same_device") }
        let addresses = { (s: Set<String>) in Set(s.map(normalisedAddress).filter { !$0.isEmpty }) }
        if !addresses(referrer.shippingAddresses).isDisjoint(with: addresses(referee.shippingAddresses)) { return .rejected("same_address") }
        if refereeHasOrdered { return .rejected("existing_customer") }
        if referralsThisYear >= allowance { return .rejected("allowance_reached") }
        if !referrer.ips.isDisjoint(with: referee.ips) { return .held("same_ip") }
        return .pending
    }

    /// Providers that deliver `name+tag@` to `name@`, and those that also ignore dots in the local part.
    static let plusProviders: Set<String> = ["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com",
                                             "fastmail.com", "protonmail.com", "proton.me"]
    static let dotlessProviders: Set<String> = ["gmail.com", "googlemail.com"]

    /// An email as the mailbox that receives it: lower case, plus-suffix and (for Gmail) dots dropped where the provider ignores them.
    public static func normalisedEmail(_ email: String) -> String {
        let lower = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let at = lower.lastIndex(of: "@") else { return lower }
        var local = String(lower[..<at])
        var domain = String(lower[lower.index(after: at)...])
        if domain == "googlemail.com" { domain = "gmail.com" }
        if plusProviders.contains(domain), let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        if dotlessProviders.contains(domain) { local.removeAll { $0 == "." } }
        return local + "@" + domain
    }

    /// An address compared without case, punctuation or repeated spaces.
    public static func normalisedAddress(_ address: String) -> String {
        address.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == " " }
            .map(String.init).joined().split(separator: " ").joined(separator: " ")
    }
}
