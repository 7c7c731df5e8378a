import CicloCore
import Foundation
import Hummingbird
import NIOCore

/// A submitted HTML form (`application/x-www-form-urlencoded`): every field, in order, possibly repeated.
struct DashboardForm: Sendable {
    /// Fields in the order the browser sent them.
    var fields: [(name: String, value: String)]

    /// The first value of a field, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields.first(where: { $0.name == name })?.value.trimmingCharacters(in: .whitespacesAndNewlines),
              !value.isEmpty else { return nil }
        return value
    }

    /// Every value of a repeated field (checkboxes, multi-selects).
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// The raw, untrimmed value (for documents such as JSON or templates, where whitespace is content).
    func raw(_ name: String) -> String? { fields.first(where: { $0.name == name })?.value }

    /// Parses a form body; `+` is a space and every part is percent-decoded.
    static func parse(_ text: String) -> DashboardForm {
        var fields: [(String, String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            fields.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
        }
        return DashboardForm(fields: fields)
    }

    /// Reads a form from a request body of at most `limit` bytes.
    static func read(_ request: inout Request, limit: Int = 2 << 20) async throws -> DashboardForm {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw CicloError(.payloadTooLarge, code: "request_too_large", "The form is larger than \(limit / 1024) KB.")
        }
        let form = parse(String(buffer: buffer))
        if form.fields.contains(where: { $0.name.containsNUL || $0.value.containsNUL }) {
            throw CicloError.badRequest("invalid_character", "A field of the form holds a NUL character.")
        }
        return form
    }
}
