import CicloCore
import Foundation
import Hummingbird
import NIOCore

/// Reads admin API request bodies as JSON objects, with clear errors for anything else.
enum RequestJSON {
    static func object(_ request: Request, limit: Int = 1 << 20) async throws -> JSONValue {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw CicloError(.payloadTooLarge, code: "request_too_large", "The request body is larger than \(limit / 1024) KB.")
        }
        guard buffer.readableBytes > 0 else { throw CicloError.badRequest("invalid_json", "Send a JSON object as the request body.") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(buffer.readableBytesView)
        } catch let error as JSONParser.SyntaxError {
            throw CicloError.badRequest("invalid_json", "The request body is not valid JSON (\(error.reason) at byte \(error.offset)).")
        }
        guard case .object = value else { throw CicloError.badRequest("invalid_json", "The request body must be a JSON object.") }
        if value.containsNUL { throw CicloError.badRequest("invalid_character", "A string in the body holds a NUL character (\\u0000).") }
        return value
    }

    /// A required string member.
    static func string(_ body: JSONValue, _ key: String) throws -> String {
        guard let text = body[key]?.stringValue, !text.isEmpty else {
            throw CicloError.badRequest("missing_field", "\(key) is required and must be a non-empty string.")
        }
        return text
    }

    /// A condition member, parsed with errors that point at the bad part.
    static func condition(_ body: JSONValue, _ key: String = "condition") throws -> Condition {
        guard let json = body[key] else { throw CicloError.badRequest("missing_field", "\(key) is required.") }
        do {
            return try Condition.parse(json)
        } catch let error as ConditionError {
            throw CicloError.badRequest("invalid_condition", "\(key)\(error.path.isEmpty ? "" : ".")\(error.description)")
        }
    }
}
