import CicloCore
import Testing

@testable import CicloEngine

@Suite("CICLO_SMTP_URL parsing")
struct SMTPConfigurationTests {
    @Test("credentials, port and STARTTLS policy come from the URL")
    func parsesAFullURL() throws {
        let c = try SMTPConfiguration(url: "smtp://mailer%40shop.example:p%40ss@relay.example:2525?starttls=required&connections=8")
        #expect(c.host == "relay.example" && c.port == 2525)
        #expect(c.username == "mailer@shop.example" && c.password == "p@ss")
        #expect(c.security == .required && c.connections == 8 && !c.insecure)
    }

    @Test("smtps means implicit TLS on 465; smtp defaults to 587 with opportunistic STARTTLS")
    func defaults() throws {
        let implicit = try SMTPConfiguration(url: "smtps://relay.example")
        #expect(implicit.security == .implicit && implicit.port == 465)
        let plain = try SMTPConfiguration(url: "smtp://relay.example")
        #expect(plain.security == .optional && plain.port == 587 && plain.username == nil)
    }

    @Test("bad URLs are refused with a clear error", arguments: [
        "http://relay.example", "smtp://", "smtp://relay.example?starttls=maybe", "smtp://relay.example?starttls=implicit",
        "smtp://relay.example?connections=0", "smtp://relay.example?connections=lots", "smtp://relay.example?ca=/no/such/file.pem",
    ])
    func refusesBadURLs(url: String) {
        #expect(throws: CicloError.self) { try SMTPConfiguration(url: url) }
    }
}
