import CompressNIO
import NIOCore

/// gzip for request bodies in tests.
enum Gzip {
    static func compress(_ text: String) throws -> ByteBuffer {
        var input = ByteBuffer(string: text)
        return try input.compress(with: .gzip())
    }
}
