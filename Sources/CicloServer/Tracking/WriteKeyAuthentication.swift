import CicloCore
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird

/// Finds the write key of a tracking request: HTTP Basic (key as user name, empty password) or `writeKey` in the body.
enum WriteKeyAuthentication {
    /// The enabled source the request's write key names; 401 when there is none or it is unknown.
    static func source(_ request: Request, body: JSONValue, credentials: CredentialCache) async throws -> Source {
        guard let key = writeKey(request, body: body), !key.isEmpty else {
            throw CicloError(.unauthorized, code: "unauthorized",
                "Send the write key as HTTP Basic user name or as writeKey in the body.")
        }
        guard let source = try await credentials.source(writeKey: key) else {
            throw CicloError(.unauthorized, code: "unauthorized", "The write key is unknown or its source is disabled.")
        }
        return source
    }

    static func writeKey(_ request: Request, body: JSONValue) -> String? {
        // A request may carry several Authorization headers (Basic plus a Bearer token); look at each.
        for value in request.headers[values: .authorization] {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("basic ") else { continue }
            let encoded = trimmed.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters),
                  let decoded = String(data: data, encoding: .utf8) else { continue }
            let user = decoded.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            if let user, !user.isEmpty { return user }
        }
        if let key = body["writeKey"]?.stringValue { return key }
        return nil
    }
}
