import CicloCore
import Foundation
import HTTPTypes
import Hummingbird

/// The one error shape every endpoint answers with: `{"code": ..., "message": ...}`.
struct ErrorBody: Codable, Sendable {
    var code: String
    var message: String
}

extension CicloErrorKind {
    /// The HTTP status this kind of error answers with.
    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }
}

/// Builds JSON responses.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A JSON body with `status`.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The error body of `error` with its status.
    static func error(_ error: CicloError, headers: HTTPFields = [:]) -> Response {
        make(ErrorBody(code: error.code, message: error.message), status: error.kind.status, headers: headers)
    }
}
