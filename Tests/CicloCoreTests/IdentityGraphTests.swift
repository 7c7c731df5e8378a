import CicloCore
import Foundation
import Testing

@Suite("Identity resolution")
struct IdentityGraphTests {
    var nextId: Int64 = 0
    static func event(_ type: EventType = .track, user: String? = nil, anon: String? = nil, email: String? = nil,
                      previous: String? = nil, traits: JSONValue = [:], at seconds: Double = 0, id: Int64 = 0) -> Event {
        var t = traits
        if let email, case .object(var members) = t { members["email"] = .string(email); t = .object(members) }
        return Event(id: id, workspaceId: 1, messageId: UUID().uuidString, type: type, event: type == .track ? "E" : nil,
                     userId: user, anonymousId: anon, previousId: previous, traits: t,
                     timestamp: Date(timeIntervalSince1970: 1_800_000_000 + seconds),
                     receivedAt: Date(timeIntervalSince1970: 1_800_000_000 + seconds))
    }

    func graph() -> IdentityGraph { IdentityGraph(workspaceId: 1, owners: [:], profiles: [:], now: 0) }

    @Test("two anonymous devices, sign-up on one, login on the other: one person with everything")
    func twoDevices() {
        var g = graph()
        let phone = g.resolve(Self.event(anon: "a-phone"))!
        let laptop = g.resolve(Self.event(anon: "a-laptop", at: 10))!
        #expect(phone != laptop)
        let signup = g.resolve(Self.event(.identify, user: "u1", anon: "a-laptop", email: "Ada@Example.COM", at: 20))!
        #expect(signup == laptop)
        let login = g.resolve(Self.event(.identify, user: "u1", anon: "a-phone", at: 30))!

        #expect(g.canonical(phone) == login && g.canonical(laptop) == login)
        #expect(Set(g.identifiers(of: login)) == [Identifier(.userId, "u1"), Identifier(.anonymousId, "a-phone"),
                                                   Identifier(.anonymousId, "a-laptop"), Identifier(.email, "ada@example.com")])
        #expect(g.merges.count == 1)
        #expect(g.profiles.count == 1)
        #expect(g.needsRecompute == [login], "the survivor refolds its whole history after a merge")
    }

    @Test("two user ids sharing an email never merge; the conflict is recorded")
    func sharedEmail() {
        var g = graph()
        let first = g.resolve(Self.event(.identify, user: "u1", email: "team@shop.com"))!
        let second = g.resolve(Self.event(.identify, user: "u2", email: "team@shop.com", at: 5))!

        #expect(first != second)
        #expect(g.merges.isEmpty)
        #expect(g.conflicts.map(\.identifier) == [Identifier(.email, "team@shop.com")])
        #expect(g.userId(of: first) == "u1" && g.userId(of: second) == "u2")
        #expect(g.identifiers(of: second) == [Identifier(.userId, "u2")])
    }

    @Test("blocked placeholder ids identify nobody", arguments: ["", "undefined", "NULL", "anonymous", "0", "-1", "[object Object]", "False", " guest "])
    func blocked(value: String) {
        var g = graph()
        #expect(g.resolve(Self.event(user: value, anon: value, email: value)) == nil)
        let a = g.resolve(Self.event(user: value, anon: "real-device"))!
        let b = g.resolve(Self.event(user: value, anon: "other-device"))!
        #expect(a != b, "a blocked user id must not join two devices")
    }

    @Test("merge chains resolve to the last survivor")
    func chains() {
        var g = graph()
        let a = g.resolve(Self.event(anon: "a"))!
        let b = g.resolve(Self.event(anon: "b"))!
        let c = g.resolve(Self.event(anon: "c"))!
        g.resolve(Self.event(.alias, user: "ub", previous: "a"))
        g.resolve(Self.event(.identify, user: "ub", anon: "b"))
        g.resolve(Self.event(.identify, user: "ub", anon: "c"))
        let survivor = g.canonical(a)
        #expect(g.canonical(b) == survivor && g.canonical(c) == survivor)
        #expect(g.profiles.count == 1)
    }

    @Test("alias merges the earlier id into the user; an unknown earlier id is remembered")
    func alias() {
        var g = graph()
        let anon = g.resolve(Self.event(anon: "visitor-1"))!
        let user = g.resolve(Self.event(.alias, user: "u9", previous: "visitor-1"))!
        #expect(g.canonical(anon) == user)
        let fresh = g.resolve(Self.event(.alias, user: "u10", previous: "never-seen"))!
        #expect(g.resolve(Self.event(anon: "never-seen")) == fresh)
    }

    @Test("traits: null clears, and on merge the most recently set value wins")
    func traits() {
        var g = graph()
        let old = g.resolve(Self.event(.identify, anon: "a", traits: ["plan": "free", "city": "Rome", "nickname": "x"], at: 0))!
        g.resolve(Self.event(.identify, anon: "a", traits: ["nickname": nil], at: 1))
        let user = g.resolve(Self.event(.identify, user: "u", traits: ["plan": "pro"], at: 50))!
        g.resolve(Self.event(.identify, user: "u", anon: "a", traits: [:], at: 60))
        let survivor = g.canonical(user)
        #expect(survivor == g.canonical(old))
        #expect(g.profiles[survivor]?.traits == ["plan": "pro", "city": "Rome"])
    }

    @Test("an anonymous id shared with another user stays with its owner")
    func sharedDevice() {
        var g = graph()
        let alice = g.resolve(Self.event(.identify, user: "alice", anon: "family-tablet"))!
        let bob = g.resolve(Self.event(.identify, user: "bob", anon: "family-tablet", at: 10))!
        #expect(alice != bob)
        #expect(g.resolve(Self.event(anon: "family-tablet", at: 20)) == alice)
        #expect(g.conflicts.count == 1)
    }
}
