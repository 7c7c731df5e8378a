import CicloCore
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("quotes, doubled quotes, separators and line breaks inside quotes, CRLF, and no final newline")
    func rfc4180() {
        var reader = CSVReader()
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\nlast,row,here"
        // Feed in awkward pieces to prove records can span chunks.
        var records: [CSVReader.Record] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: 3) { records += reader.feed(bytes[start..<min(start + 3, bytes.count)]) }
        records += reader.finish()
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["", "", ""], ["last", "row", "here"]])
        #expect(records.map(\.line) == [1, 2, 4, 5])
    }
}
