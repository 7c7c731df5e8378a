import Foundation

/// Reads RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF) incrementally,
/// so files of any size stream through in fixed memory.
public struct CSVReader {
    /// One record and the line it started on (1-based).
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    private var field: [UInt8] = []
    private var fields: [String] = []
    private var inQuotes = false
    private var quoteJustClosed = false
    private var line = 1
    private var recordLine = 1
    private var sawAnything = false
    private let separator: UInt8

    /// Creates a reader; `separator` is usually a comma.
    public init(separator: Character = ",") {
        self.separator = separator.asciiValue ?? UInt8(ascii: ",")
    }

    /// Feeds bytes and returns the records they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Record] {
        var out: [Record] = []
        for byte in bytes {
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                    quoteJustClosed = true
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if quoteJustClosed { field.append(byte) }  // "" inside a quoted field is one quote
                inQuotes = true
                quoteJustClosed = false
                sawAnything = true
            case separator:
                endField()
            case 0x0D:
                quoteJustClosed = false
            case 0x0A:
                if sawAnything || !fields.isEmpty || !field.isEmpty {
                    endField()
                    out.append(Record(line: recordLine, fields: fields))
                }
                fields = []
                sawAnything = false
                line += 1
                recordLine = line
            default:
                quoteJustClosed = false
                field.append(byte)
                sawAnything = true
            }
        }
        return out
    }

    /// Returns the last record when the input did not end with a line break.
    public mutating func finish() -> [Record] {
        guard sawAnything || !fields.isEmpty || !field.isEmpty else { return [] }
        endField()
        defer { fields = [] }
        return [Record(line: recordLine, fields: fields)]
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quoteJustClosed = false
        sawAnything = true
    }

    /// Reads a whole file, calling `handle` with batches of records.
    public static func stream(path: String, separator: Character = ",", batch: Int = 5_000,
                              _ handle: ([Record]) async throws -> Void) async throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw CicloError.badRequest("file_not_found", "Cannot read \(path).")
        }
        defer { try? file.close() }
        var reader = CSVReader(separator: separator)
        var pending: [Record] = []
        while true {
            let chunk = file.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            pending += reader.feed(chunk)
            if pending.count >= batch {
                try await handle(pending)
                pending = []
            }
        }
        pending += reader.finish()
        if !pending.isEmpty { try await handle(pending) }
    }
}
