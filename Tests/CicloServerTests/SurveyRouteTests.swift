import CicloCore
import CicloEngine
import CicloStore
import CicloTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("NPS surveys: signed one-click answers, comments, the throttle")
struct SurveyRouteTests {
    @Test("a click answers once, a forged link records nothing, the comment is kept, and the answer marks the profile", arguments: TestDatabase.engines)
    func oneClick(engine: Dialect) async throws {
        try await TestApp.run(engine) { app, client in
            try await app.track(client, #"{"type":"identify","userId":"ana","traits":{"email":"ana@example.com"}}"#)
            try await app.process()
            let ws = try await app.workspaceId
            let ana = try await app.profileId(client, "userId=ana")
            let template = try #require(MessageTemplate.readyMade.first { $0.key == "nps-survey" })
            let id = try #require(try await app.store.queueMessage(workspaceId: ws, profileId: ana, channel: "email", template: template.key,
                                                                   transactional: false, key: "nps-1"))
            let delivery = try #require(try await app.store.outboxMessage(id: id))
            let (profile, identifiers) = try #require(try await app.store.contact(workspaceId: ws, profileId: ana))
            let message = try MessageComposer(publicURL: "http://localhost").compose(delivery, template: template, profile: profile,
                                                                                     identifiers: identifiers, workspace: try await app.store.workspace(id: ws))
            let text = try #require(message.parts["text"])
            let links = text.split(separator: "\n").compactMap { line -> (Int, String)? in
                guard let colon = line.firstIndex(of: ":"), let score = Int(line[..<colon].trimmingCharacters(in: .whitespaces)),
                      let path = line.range(of: "/s/nps/") else { return nil }
                return (score, String(line[path.lowerBound...]))
            }
            #expect(links.map(\.0) == Array(0...10))
            let nine = try #require(links.first { $0.0 == 9 }?.1), three = try #require(links.first { $0.0 == 3 }?.1)

            try await client.execute(uri: nine + "x", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: nine, method: .get) { #expect($0.status == .ok && String(buffer: $0.body).contains("9 out of 10")) }
            try await client.execute(uri: three, method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: nine + "/comment", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: .text("comment=")) { #expect($0.status == .badRequest) }
            try await client.execute(uri: nine + "/comment", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: .text("comment=Fast+delivery")) { #expect($0.status == .ok) }
            try await app.process()
            let answers = try await app.storedEvents().filter { $0.event == "NPS Submitted" }
            #expect(answers.map { $0.properties["score"] } == [9], "the first click counts; the second is the same answer repeated")
            #expect(try await app.storedEvents().first { $0.event == "NPS Comment Added" }?.properties["comment"] == "Fast delivery")
            let detail = try #require(try await app.store.profileDetail(workspaceId: ws, id: ana))
            #expect(detail.profile.loyalty.npsCategory == "promoter")
            #expect(try await app.store.npsBreakdown(workspaceId: ws, by: "all").first?.score == NPSScore(promoters: 1, passives: 0, detractors: 0))
        }
    }
}
