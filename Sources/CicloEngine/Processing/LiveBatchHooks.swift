import CicloCore
import CicloStore

/// The work every live profile batch does inside its transaction, in order: audiences (segments, stages, personas),
/// the points ledger, journey triggers, consent. The server runs these; benchmarks run the same list.
public enum LiveBatchHooks {
    /// The hooks for a processor on `store`.
    public static func all(store: Store, clock: any CicloClock = SystemClock()) -> [ProfileProcessor.BatchHook] {
        [LiveAudience(store: store, clock: clock).hook, LoyaltyHook(store: store, clock: clock).hook,
         JourneyTriggers(store: store, clock: clock).hook, ConsentEvents().hook]
    }
}
