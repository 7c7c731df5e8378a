import CicloCore
import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a tracking request's body the way Segment's SDKs send it: JSON as `application/json` or `text/plain`,
/// optionally gzipped, at most 500 KB once decompressed.
enum TrackingRequestBody {
    static func read(_ request: Request) async throws -> JSONValue {
        if let type = request.headers[.contentType]?.lowercased(),
           !Self.acceptedTypes.contains(where: type.hasPrefix)
        {
            throw CicloError(.unsupportedMediaType, code: "unsupported_media_type",
                "Send JSON as application/json or text/plain, not \(type).")
        }
        var request = request
        var buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: TrackingLimits.requestBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let encoding = request.headers[.contentEncoding]?.lowercased().trimmingCharacters(in: .whitespaces)
        switch encoding {
        case nil, "", "identity":
            break
        case "gzip", "x-gzip", "deflate":
            do {
                buffer = try buffer.decompress(with: encoding == "deflate" ? .zlib() : .gzip(),
                                               maxSize: TrackingLimits.requestBytes)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw tooLarge
            } catch {
                throw CicloError.badRequest("invalid_encoding", "The body is not valid \(encoding!) data.")
            }
        default:
            throw CicloError(.unsupportedMediaType, code: "unsupported_encoding",
                "Content-Encoding \(encoding!) is not supported; use gzip or none.")
        }
        guard buffer.readableBytes > 0 else {
            throw CicloError.badRequest("invalid_json", "The request body is empty; send a JSON object.")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(buffer.readableBytesView)
        } catch let error as JSONParser.SyntaxError {
            throw CicloError.badRequest("invalid_json", "The request body is not valid JSON (\(error.reason) at byte \(error.offset)).")
        }
        guard case .object = value else {
            throw CicloError.badRequest("invalid_json", "The request body must be a JSON object.")
        }
        return value
    }

    /// JSON arrives as application/json, as text/plain from analytics.js, and form-typed from `curl -d`.
    static let acceptedTypes = ["application/json", "text/plain", "application/x-json", "application/x-www-form-urlencoded"]

    static let tooLarge = CicloError.badRequest("request_too_large",
        "The request is larger than \(TrackingLimits.requestBytes / 1024) KB; send smaller batches.")
}
