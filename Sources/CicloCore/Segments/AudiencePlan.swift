import Foundation

/// Everything that places a person — segments, the lifecycle model, personas — in the order they must be evaluated:
/// segments that do not read stage, persona or RFM (dependencies first), then the stage, then the persona, then the
/// segments that read them.
public struct AudiencePlan: Sendable {
    /// Segments in evaluation order.
    public let segments: [SegmentDefinition]
    /// The active lifecycle model.
    public let model: LifecycleModel?
    /// Personas.
    public let personas: [Persona]
    private let splitIndex: Int

    /// Orders the definitions; throws when segments refer to each other in a cycle or to unknown segments.
    public init(segments: [SegmentDefinition], model: LifecycleModel?, personas: [Persona]) throws {
        let ordered = try Self.order(segments)
        let first = ordered.filter { !Self.readsLifecycle($0, in: ordered) }
        let second = ordered.filter { Self.readsLifecycle($0, in: ordered) }
        self.segments = first + second
        self.splitIndex = first.count
        self.model = model
        self.personas = personas
    }

    /// Segments that do not read stage, persona or RFM, in order.
    public var independentSegments: ArraySlice<SegmentDefinition> { segments[..<splitIndex] }
    /// Segments that read stage, persona or RFM, in order.
    public var lifecycleSegments: ArraySlice<SegmentDefinition> { segments[splitIndex...] }

    /// Where a person now stands: their segments, stage and persona, and when to look again.
    public struct Standing: Sendable, Equatable {
        public var segments: Set<String>
        public var stage: String?
        public var persona: String?
        public var changesAt: Int64?

        public init(segments: Set<String>, stage: String?, persona: String?, changesAt: Int64?) {
            self.segments = segments
            self.stage = stage
            self.persona = persona
            self.changesAt = changesAt
        }
    }

    /// Evaluates everything for one person; `context.segments` holds their current memberships.
    public func evaluate(_ context: ConditionContext) -> Standing {
        var context = context
        var members = Set<String>()
        var changesAt: Int64?
        func note(_ t: Int64?) { if let t { changesAt = min(changesAt ?? t, t) } }
        for (index, segment) in segments.enumerated() {
            if index == splitIndex { placeLifecycle(&context, note: note) }
            let outcome = ConditionEvaluator.evaluate(segment.condition, context)
            note(outcome.changesAt)
            if outcome.matches { members.insert(segment.key) } else { context.segments.remove(segment.key) }
            if outcome.matches { context.segments.insert(segment.key) }
        }
        if splitIndex == segments.count { placeLifecycle(&context, note: note) }
        return Standing(segments: members, stage: context.profile.lifecycle.stage, persona: context.profile.lifecycle.persona,
                        changesAt: changesAt)
    }

    private func placeLifecycle(_ context: inout ConditionContext, note: (Int64?) -> Void) {
        if let model {
            let (stage, t) = model.stage(for: context)
            note(t)
            if stage != context.profile.lifecycle.stage {
                context.profile.lifecycle.stage = stage
                context.profile.lifecycle.stageEnteredAt = context.now
            }
        }
        let (persona, t) = Persona.assign(personas, context)
        note(t)
        context.profile.lifecycle.persona = persona
    }

    /// Every event name any definition looks at.
    public var eventNames: Set<String> {
        var names = Set<String>()
        for s in segments { names.formUnion(s.condition.eventNames) }
        for s in model?.stages ?? [] { names.formUnion(s.condition.eventNames) }
        for p in personas { names.formUnion(p.condition.eventNames) }
        return names
    }

    static func readsLifecycle(_ segment: SegmentDefinition, in all: [SegmentDefinition]) -> Bool {
        var seen = Set<String>()
        func reads(_ key: String) -> Bool {
            guard seen.insert(key).inserted, let s = all.first(where: { $0.key == key }) else { return false }
            return s.condition.readsLifecycle || s.condition.segmentReferences.contains(where: reads)
        }
        return segment.condition.readsLifecycle || segment.condition.segmentReferences.contains(where: reads)
    }

    /// Dependencies first; throws on unknown references and cycles, naming them.
    public static func order(_ segments: [SegmentDefinition]) throws -> [SegmentDefinition] {
        let byKey = Dictionary(segments.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var ordered: [SegmentDefinition] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ s: SegmentDefinition, path: [String]) throws {
            if state[s.key] == 2 { return }
            if state[s.key] == 1 {
                throw CicloError.badRequest("segment_cycle", "Segments refer to each other in a cycle: \((path + [s.key]).joined(separator: " → ")).")
            }
            state[s.key] = 1
            for ref in s.condition.segmentReferences.sorted() {
                guard let target = byKey[ref] else {
                    throw CicloError.badRequest("unknown_segment", "Segment \(s.key) refers to unknown segment \(ref).")
                }
                try visit(target, path: path + [s.key])
            }
            state[s.key] = 2
            ordered.append(s)
        }
        for s in segments.sorted(by: { $0.key < $1.key }) { try visit(s, path: []) }
        return ordered
    }
}
