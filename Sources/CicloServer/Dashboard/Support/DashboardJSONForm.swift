import CicloCore
import Foundation
import Hummingbird

/// A form whose one field is a JSON document (the loyalty program, a content item): parse it, hand it to `save`,
/// and on a bad document show the page again with the draft and the message, answering 400.
enum DashboardJSONForm {
    static func submit(_ field: String, _ context: CicloRequestContext, save: (JSONValue) async throws -> Void,
                       showAgain: (_ draft: String, _ error: String) async throws -> Response) async throws -> Response? {
        let text = try context.submitted()[field] ?? ""
        do {
            try await save(try JSONValue.parse(text))
        } catch let error as CicloError where error.kind == .badRequest {
            return try await showAgain(text, error.message)
        } catch is JSONParser.SyntaxError {
            return try await showAgain(text, "That is not valid JSON.")
        }
        return nil
    }
}
