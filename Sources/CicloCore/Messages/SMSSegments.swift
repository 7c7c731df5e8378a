import Foundation

/// How an SMS body will be split: GSM-7 when every character fits the GSM 03.38 alphabet, UCS-2 otherwise.
public struct SMSSegments: Sendable, Equatable {
    public enum Encoding: String, Sendable, Codable { case gsm7 = "GSM-7", ucs2 = "UCS-2" }
    public var encoding: Encoding
    /// Characters as the network counts them (GSM extension characters count twice; UCS-2 counts UTF-16 units).
    public var units: Int
    public var segments: Int

    static let basic: Set<Character> = Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    public init(_ text: String) {
        if text.allSatisfy({ Self.basic.contains($0) || Self.extended.contains($0) }) {
            encoding = .gsm7
            units = text.reduce(0) { $0 + (Self.extended.contains($1) ? 2 : 1) }
            segments = units == 0 ? 1 : units <= 160 ? 1 : Int((Double(units) / 153).rounded(.up))
        } else {
            encoding = .ucs2
            units = text.utf16.count
            segments = units <= 70 ? 1 : Int((Double(units) / 67).rounded(.up))
        }
    }
}
