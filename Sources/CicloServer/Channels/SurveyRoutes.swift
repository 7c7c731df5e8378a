import CicloCore
import CicloEngine
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/s/nps/{token}`: the one-click answer to an NPS survey (signed per message and score), then a page to add a
/// comment. The first answer per message counts; a forged or altered token gets 404 and records nothing.
struct SurveyRoutes {
    let environment: ServerEnvironment

    func register(on router: Router<CicloRequestContext>) {
        let recorder = EngagementRecorder(environment: environment)
        router.get("s/nps/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let (message, payload) = try await recorder.message(forToken: token, kind: .nps), let score = payload["s"]?.intValue, (0...10).contains(score) else {
                throw CicloError.notFound("Survey")
            }
            try await recorder.record("NPS Submitted", message: message, extra: ["score": .int(score)], key: "ciclo-nps:\(message.id)")
            return Self.page("""
                <h1>Thank you!</h1><p>You answered \(score) out of 10. Anything you would like to add?</p>
                <form method="post" action="/s/nps/\(HTMLText.escape(token))/comment"><textarea name="comment" rows="5" maxlength="2000"></textarea>
                <p><button type="submit">Send</button></p></form>
                """)
        }
        router.post("s/nps/:token/comment") { request, context in
            let token = try context.parameters.require("token")
            guard let (message, payload) = try await recorder.message(forToken: token, kind: .nps), let score = payload["s"]?.intValue else {
                throw CicloError.notFound("Survey")
            }
            var request = request
            let form = try await DashboardForm.read(&request, limit: 16 * 1024)
            let comment = (form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !comment.isEmpty, comment.count <= 2_000 else {
                throw CicloError.badRequest("invalid_comment", "Write a comment of up to 2,000 characters.")
            }
            try await recorder.record("NPS Comment Added", message: message, extra: ["score": .int(score), "comment": .string(comment)],
                                      key: "ciclo-nps-comment:\(message.id)")
            return Self.page("<h1>Thank you!</h1><p>We read every comment.</p>")
        }
    }

    static func page(_ body: String) -> Response {
        let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
            + "<title>Survey</title></head><body style=\"font-family:sans-serif;max-width:520px;margin:3em auto\">\(body)</body></html>"
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
