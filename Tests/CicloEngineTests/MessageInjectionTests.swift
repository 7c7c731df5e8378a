import CicloCore
import Foundation
import Testing

@testable import CicloEngine

/// Issue 17, cases 2 and 3: nothing a person's traits hold can add an SMTP command or a mail header.
@Suite("Message injection: SMTP commands and mail headers")
struct MessageInjectionTests {
    static let hostileEmail = "victim@example.com>\r\nRSET\r\nMAIL FROM:<boss@shop.example>\r\nRCPT TO:<anyone@evil.example>\r\nDATA\r\nforged\r\n.\r\n"

    @Test("case 2: an email trait holding CR/LF, <, > or spaces is no identity and no contact address")
    func emailIdentity() {
        #expect(EmailAddress.normalised(" a@b.co\r\n") == "a@b.co", "white space around an address is trimmed, not kept")
        for bad in [Self.hostileEmail, "a@b.co\r\nx", "a@b.co\nx", "a\u{0}@b.co", "a b@c.co", "<a@b.co>", "a@b.co>", "a@b", "@b.co",
                    "a@@b.co", ".a@b.co", "a@-b.co", "a@b.co\u{2028}", "a@b.c\u{85}o", String(repeating: "a", count: 250) + "@b.co"] {
            #expect(Identifier.normalised(.email, bad) == nil, "\(bad.debugDescription)")
            #expect(EmailAddress.normalised(bad) == nil, "\(bad.debugDescription)")
        }
        for good in ["Mia.Rossi+news@Example.COM", "o'brien@shop.example", "josé@exämple.it", "x@a-b.co.uk"] {
            #expect(EmailAddress.normalised(good) == good.lowercased(), "\(good)")
        }
        let profile = Profile(id: 1, workspaceId: 1, traits: ["email": .string(Self.hostileEmail)], createdAt: 0)
        #expect(profile.contactEmail(identifiers: []) == nil, "the raw trait never becomes the address")
        #expect(profile.contactEmail(identifiers: [Identifier(.email, Self.hostileEmail)]) == nil, "nor does a stored identity from before the check")
    }

    @Test("case 2: the SMTP client refuses an envelope address or command line with CR/LF before writing anything")
    func smtpClient() async throws {
        // Port 9 (discard) on loopback: a refusal must come before any connection is tried.
        let mailer = SMTPMailer(SMTPConfiguration(host: "127.0.0.1", port: 9, security: .none))
        let message = MIMEMessage(from: (nil, "shop@example.com"), to: Self.hostileEmail, subject: "s", text: "t", html: "<p>t</p>", messageId: "1@x")
        do {
            try await mailer.send(message)
            Issue.record("a hostile address was sent")
        } catch let error as SMTPError {
            #expect(error.refusedLocally && error.permanent, "\(error)")
        }
        #expect(throws: SMTPError.self) { try SMTPConnection.checkCommand("RCPT TO:<a@b.co>\r\nRSET") }
        #expect(throws: SMTPError.self) { try SMTPConnection.checkCommand("NOOP\u{0}") }
    }

    @Test("DATA is dot-stuffed and every bare CR or LF becomes CRLF, so no body can end the message early")
    func dataBlock() {
        #expect(SMTPConnection.dataBlock("a\r\n.b\n.\r\nc\rd") == "a\r\n..b\r\n..\r\nc\r\nd\r\n.\r\n")
        #expect(SMTPConnection.dataBlock(".start") == "..start\r\n.\r\n")
        #expect(SMTPConnection.dataBlock("") == "\r\n.\r\n")
        #expect(SMTPConnection.dataBlock("end\r\n") == "end\r\n.\r\n")
        #expect(!SMTPConnection.dataBlock("x\n.\nMAIL FROM:<a@b.co>\n").contains("\r\n.\r\nMAIL"))
    }

    @Test("case 3: a subject or name holding CR/LF (one Character in Swift) adds no header", arguments: [
        "Victim\r\nBcc: spy@evil.example", "Victim\nBcc: spy@evil.example", "Victim\rBcc: spy@evil.example",
        "Vïctim\r\nBcc: spy@evil.example", "Victim\u{85}Bcc: spy@evil.example", "Victim\u{2028}Bcc: spy@evil.example",
    ])
    func headers(name: String) {
        let message = MIMEMessage(from: (name, "shop@example.com"), to: "mia@example.com", subject: "Hello \(name)", text: "t", html: "h",
                                  messageId: "1@x\r\nBcc: a@b.co", unsubscribeURL: "https://x/u/1\r\nBcc: a@b.co",
                                  extraHeaders: [("X-Ciclo-Message\r\nBcc", "1\r\nBcc: a@b.co")])
        let head = message.rendered.components(separatedBy: "\r\n\r\n")[0]
        let lines = head.components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.lowercased().hasPrefix("bcc") }, "\(lines)")
        for line in lines {
            #expect(!line.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\u{85}" || $0 == "\u{2028}" }, "\(line.debugDescription)")
            // Every line is a header or a folded continuation of one.
            #expect(line.hasPrefix(" ") || line.contains(":"), "\(line.debugDescription)")
        }
    }

    @Test("a subject too long for one SMTP line is folded")
    func longSubject() {
        let message = MIMEMessage(from: (nil, "shop@example.com"), to: "mia@example.com", subject: String(repeating: "word ", count: 400),
                                  text: "t", html: "h", messageId: "1@x")
        #expect(message.rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
    }
}
