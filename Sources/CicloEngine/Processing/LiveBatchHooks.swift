import CicloCore
import CicloStore

/// The work every live profile batch does inside its transaction, in order: audiences (segments, stages, personas),
/// the points ledger, journey triggers, consent. The server runs these; benchmarks run the same list.
public enum LiveBatchHooks {
    /// The hooks for a processor on `store`.
    public static func all(store: Store, clock: any CicloClock = SystemClock()) -> [ProfileProcessor.BatchHook] {
        named(store: store, clock: clock).map(\.hook)
    }

    /// The same hooks with what each one is, for reports that time them one by one.
    public static func named(store: Store, clock: any CicloClock = SystemClock())
        -> [(name: String, hook: ProfileProcessor.BatchHook)] {
        [("audiences", LiveAudience(store: store, clock: clock).hook), ("loyalty", LoyaltyHook(store: store, clock: clock).hook),
         ("journey triggers", JourneyTriggers(store: store, clock: clock).hook), ("consent", ConsentEvents().hook)]
    }
}
