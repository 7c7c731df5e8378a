import Foundation

extension Event {
    /// The identifiers this event carries, normalised, blocked values removed, strongest first.
    public var identifiers: [Identifier] {
        var found: [Identifier] = []
        func add(_ kind: IdentifierKind, _ raw: String?) {
            guard let raw, let id = Identifier.normalised(kind, raw), !found.contains(id) else { return }
            found.append(id)
        }
        if type == .alias {
            // An alias speaks about two ids; it is resolved by `previousIdentifier`, not here.
            add(.userId, userId)
            return found
        }
        add(.userId, userId)
        add(.anonymousId, anonymousId)
        let contextTraits = context["traits"]
        for source in [traits, contextTraits ?? .null] {
            add(.email, source["email"]?.stringValue)
            add(.phone, source["phone"]?.scalarText)
        }
        if case .array(let externals) = context["externalIds"] ?? .null {
            for external in externals {
                guard let type = external["type"]?.stringValue, let id = external["id"]?.scalarText else { continue }
                add(.external(type), id)
            }
        }
        return found.sorted { a, b in a.kind.strength != b.kind.strength ? a.kind.strength > b.kind.strength : a < b }
    }

    /// For an alias call: the earlier id, as whichever kind it matches (user id first, then anonymous id).
    public var previousIdentifiers: [Identifier] {
        guard type == .alias, let previousId else { return [] }
        return [IdentifierKind.userId, .anonymousId].compactMap { Identifier.normalised($0, previousId) }
    }
}
