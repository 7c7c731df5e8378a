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

/// Slows down guessing: after repeated failures for an email, sign-in for it waits until the window passes.
actor SignInThrottle {
    private var failures: [String: [Date]] = [:]
    let limit: Int
    let window: TimeInterval

    init(limit: Int = 10, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Whether another attempt for `email` is allowed now.
    func allows(_ email: String, now: Date = Date()) -> Bool {
        let recent = (failures[email] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[email] = recent.isEmpty ? nil : recent
        return recent.count < limit
    }

    func recordFailure(_ email: String, now: Date = Date()) {
        failures[email, default: []].append(now)
        if failures.count > 10_000 { failures.removeAll() }  // bounded memory under a spray of addresses
    }

    func recordSuccess(_ email: String) { failures[email] = nil }
}
