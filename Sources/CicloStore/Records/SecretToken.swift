import Crypto
import Foundation

/// Random keys and tokens, and the one-way hash under which admin tokens are stored.
enum SecretToken {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// `length` characters of base62 from the system's secure random generator.
    static func random(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The stored form of a token: hex SHA-256. Tokens are long and random, so no salt or slow hash is needed.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
