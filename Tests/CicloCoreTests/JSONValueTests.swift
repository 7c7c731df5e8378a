import CicloCore
import Foundation
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test("parse and print round-trip, with sorted keys and exact integers")
    func roundTrip() throws {
        let text = #"{"b":[1,2.5,"x",null,true],"a":{"z":-9007199254740993,"s":"q\"\n\u0001"}}"#
        let value = try JSONValue.parse(text)
        #expect(value.jsonText == #"{"a":{"s":"q\"\n\u0001","z":-9007199254740993},"b":[1,2.5,"x",null,true]}"#)
        #expect(try JSONValue.parse(value.jsonText) == value)
    }

    @Test("deep merge lets the overlay win and keeps the rest")
    func merge() {
        let base: JSONValue = ["a": 1, "o": ["x": 1, "y": 2]]
        let top: JSONValue = ["b": 2, "o": ["y": 3]]
        #expect(base.merging(top) == ["a": 1, "b": 2, "o": ["x": 1, "y": 3]])
    }

    @Test("numbers arrive as numbers or strings")
    func numbers() {
        #expect(JSONValue.string("19.90").doubleValue == 19.9)
        #expect(JSONValue.int(3).doubleValue == 3)
        #expect(JSONValue.double(4).intValue == 4)
        #expect(JSONValue.double(4.5).intValue == nil)
        #expect(JSONValue.double(12).scalarText == "12")
    }
}
