import CicloCore
import Foundation
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test("escapes, unicode and surrogate pairs decode")
    func escapes() throws {
        let value = try JSONValue.parse(#"{"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00 ✓"}"#)
        #expect(value["s"] == .string("a\"b\\c/d\né😀 ✓"))
    }

    @Test("numbers keep integer exactness and read exponents")
    func numbers() throws {
        #expect(try JSONValue.parse("[0,-12,9223372036854775807,1.5,-2e3,1E-2,12345678901234567890]") ==
            [0, -12, .int(Int64.max), 1.5, -2000.0, 0.01, 12345678901234567890.0])
    }

    @Test("invalid documents are rejected, never crash", arguments: [
        "", "{", "}", "[1,]", "{\"a\":}", "{'a':1}", "01", "1.", "-", "tru", "nul", "\"\\x\"", "\"abc", "[1 2]",
        "{\"a\" 1}", "\"\u{01}\"", "1e", "[] []", "NaN", "Infinity", "1e999",
    ])
    func invalid(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test("nesting deeper than the limit is refused")
    func depth() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONValue.parse(fine) != .null)
    }

    @Test("invalid UTF-8 is repaired rather than crashing")
    func invalidUTF8() throws {
        let value = try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22])
        #expect(value.stringValue?.isEmpty == false)
    }
}
