import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Dashboard passwords: bcrypt, computed off the event loops because each hash costs a quarter of a second on purpose.
public enum PasswordHashing {
    /// bcrypt's work factor.
    public static let cost: UInt8 = 12
    /// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
    static let decoy = Bcrypt.hash("ciclo-decoy-password", cost: cost)

    /// The bcrypt hash of a password.
    public static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash` (the decoy when nil).
    public static func verify(_ password: String, hash: String?) async throws -> Bool {
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash ?? decoy) }
        return hash != nil && matches
    }

    /// A new password to print once: 20 characters from an alphabet without look-alikes.
    public static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Why a chosen password is refused, or nil.
    public static func weakness(_ password: String) -> String? {
        if password.count < 10 { return "Use at least 10 characters." }
        if password.count > 72 { return "Use at most 72 characters (bcrypt ignores the rest)." }
        return nil
    }
}

/// Slows down guessing without handing anyone a way to lock others out. Each attempt is counted before its password
/// is checked (so a hundred at once cannot all slip under the limit) and forgiven when it succeeds. Limits apply per
/// email from one address (10 in 15 minutes), per address across emails (100: a spray), and per email across
/// addresses (100: a distributed guess) — so one outsider with ten tries no longer locks an account.
actor SignInThrottle {
    /// One kind of key with its limit and its attempts.
    struct Counter {
        let limit: Int
        var attempts: [String: [Date]] = [:]
    }

    private var counters: [Counter]
    let window: TimeInterval
    /// The most keys a counter keeps; past it, the keys whose last attempt is oldest are forgotten first.
    let capacity: Int

    init(perAccountAndAddress: Int = 10, perAddress: Int = 100, perEmail: Int = 100, window: TimeInterval = 15 * 60, capacity: Int = 10_000) {
        counters = [Counter(limit: perAccountAndAddress), Counter(limit: perAddress), Counter(limit: perEmail)]
        self.window = window
        self.capacity = capacity
    }

    static func keys(email: String, address: String?) -> [String] {
        let from = address ?? "unknown"
        return ["\(email)|\(from)", from, email]
    }

    /// Counts an attempt for `email` from `address` and says whether it may go ahead; a refused one is not counted.
    func begin(_ email: String, address: String?, now: Date = Date()) -> Bool {
        let keys = Self.keys(email: email, address: address)
        for i in counters.indices {
            let recent = (counters[i].attempts[keys[i]] ?? []).filter { now.timeIntervalSince($0) < window }
            counters[i].attempts[keys[i]] = recent.isEmpty ? nil : recent
            if recent.count >= counters[i].limit { return false }
        }
        for i in counters.indices {
            counters[i].attempts[keys[i], default: []].append(now)
            if counters[i].attempts.count > capacity { evict(i, now: now) }
        }
        return true
    }

    /// Forgives the attempt that succeeded, and the earlier failures for this email from this address.
    func succeeded(_ email: String, address: String?) {
        let keys = Self.keys(email: email, address: address)
        counters[0].attempts[keys[0]] = nil
        for i in 1..<counters.count {
            if var list = counters[i].attempts[keys[i]], !list.isEmpty {
                list.removeLast()
                counters[i].attempts[keys[i]] = list.isEmpty ? nil : list
            }
        }
    }

    /// Drops keys that are past the window, then, if still over capacity, the tenth with the fewest attempts (oldest
    /// first among equals): a spray of one-off keys cannot push out the record of an address that failed ten times.
    private func evict(_ i: Int, now: Date) {
        counters[i].attempts = counters[i].attempts.filter { ($0.value.last.map { now.timeIntervalSince($0) < window }) ?? false }
        guard counters[i].attempts.count > capacity else { return }
        let least = counters[i].attempts.sorted { a, b in
            a.value.count != b.value.count ? a.value.count < b.value.count : (a.value.last ?? .distantPast) < (b.value.last ?? .distantPast)
        }.prefix(max(1, capacity / 10)).map(\.key)
        for key in least { counters[i].attempts[key] = nil }
    }
}
