import Foundation

/// A multipart/alternative email (text and HTML), with UTF-8 headers encoded per RFC 2047 and the one-click
/// unsubscribe headers bulk senders need (RFC 8058).
public struct MIMEMessage: Sendable {
    public var from: (name: String?, address: String)
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    public var messageId: String
    public var date: Date
    /// `List-Unsubscribe` https link (with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
    public var unsubscribeURL: String?
    public var extraHeaders: [(String, String)]

    public init(from: (name: String?, address: String), to: String, subject: String, text: String, html: String, messageId: String,
                date: Date = Date(), unsubscribeURL: String? = nil, extraHeaders: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageId = messageId
        self.date = date
        self.unsubscribeURL = unsubscribeURL
        self.extraHeaders = extraHeaders
    }

    /// The message as sent in DATA, CRLF line endings.
    public var rendered: String {
        let boundary = "=_ciclo_" + String(UInt(bitPattern: messageId.hashValue), radix: 36)
        var headers: [(String, String)] = [
            ("From", Self.mailbox(from.name, from.address)), ("To", "<\(Self.headerText(to))>"), ("Subject", Self.encodedWord(subject)),
            ("Date", Self.rfc5322(date)), ("Message-ID", "<\(Self.headerText(messageId))>"), ("MIME-Version", "1.0"),
        ]
        if let unsubscribeURL {
            headers.append(("List-Unsubscribe", "<\(Self.headerText(unsubscribeURL))>"))
            headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        }
        headers += extraHeaders.map { (Self.headerName($0.0), Self.encodedWord($0.1)) }
        headers.append(("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""))
        var out = headers.map { "\($0.0): \($0.1)" }.joined(separator: "\r\n") + "\r\n\r\n"
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            out += "--\(boundary)\r\nContent-Type: \(type); charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            out += Self.base64Lines(body) + "\r\n"
        }
        return out + "--\(boundary)--\r\n"
    }

    static func mailbox(_ name: String?, _ address: String) -> String {
        let address = headerText(address)
        guard let name = name.map(headerText), !name.isEmpty else { return "<\(address)>" }
        let safe = name.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" } ? "\"\(name)\"" : encodedWord(name)
        return "\(safe) <\(address)>"
    }

    /// Header text with every control character (CR, LF, NUL, tab, U+0085, U+2028 ...) made a space. Checked per
    /// Unicode scalar: Swift reads `"\r\n"` as one Character, which a per-Character filter of `"\r"` and `"\n"` misses.
    static func headerText(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            let breaks = category == .control || category == .lineSeparator || category == .paragraphSeparator
            out.append(breaks ? " " : scalar)
        }
        return String(out)
    }

    /// A header name of RFC 5322 field characters only (printable ASCII but the colon).
    static func headerName(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F && $0 != ":" }))
    }

    /// RFC 2047 `=?UTF-8?B?...?=` for headers that are not plain ASCII, in chunks that keep lines short; control
    /// characters become spaces first, so no value can end its header line.
    static func encodedWord(_ raw: String) -> String {
        let text = headerText(raw)
        // Plain ASCII stays as it is unless it would break SMTP's 998-octet line limit; then it is folded as words.
        guard !text.unicodeScalars.allSatisfy(\.isASCII) || text.utf8.count > 900 else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func base64Lines(_ text: String) -> String {
        let encoded = Data(text.utf8).base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map {
            let start = encoded.index(encoded.startIndex, offsetBy: $0)
            return String(encoded[start..<(encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }.joined(separator: "\r\n")
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
