/// What counts as an email address, once, for identities, profiles and the SMTP envelope: a dot-atom local part and a
/// dotted domain, with no white space, control characters or the specials that end an SMTP path (`<`, `>`, quotes).
/// Anything else is not an address, so it can never reach `MAIL FROM` or `RCPT TO` and inject a command.
public enum EmailAddress {
    /// The longest address SMTP carries (RFC 5321 §4.5.3.1.3).
    public static let maxLength = 254

    /// The address trimmed and lower-cased when it is one, else nil.
    public static func normalised(_ text: String) -> String? {
        let lower = Identifier.trimmed(text).lowercased()
        return isValid(lower) ? lower : nil
    }

    /// True when `address` is an address as it stands (no trimming).
    public static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= maxLength else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0], domain = parts[1]
        guard (1...64).contains(local.utf8.count), (3...253).contains(domain.utf8.count) else { return false }
        guard local.first != ".", local.last != ".", local.unicodeScalars.allSatisfy(isLocalScalar) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-" && label.unicodeScalars.allSatisfy(isDomainScalar)
        }
    }

    /// atext (RFC 5322 §3.2.3) and dots, plus non-ASCII letters for internationalised addresses (RFC 6531).
    static func isLocalScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let c = Character(s)
            return c.isLetter || c.isNumber || "!#$%&'*+-/=?^_`{|}~.".contains(c)
        }
        return isPrintableNonASCII(s)
    }

    static func isDomainScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "-" }
        return isPrintableNonASCII(s)
    }

    /// Non-ASCII that is neither a control, a format character nor a separator (U+0085, U+2028, U+00A0 ...).
    static func isPrintableNonASCII(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .privateUse, .unassigned: false
        default: true
        }
    }
}
