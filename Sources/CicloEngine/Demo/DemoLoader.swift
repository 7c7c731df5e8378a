import CicloCore
import CicloStore
import Foundation

/// Writes a `DemoShop` into the event log in bulk: generation of the next chunk overlaps the write of the last.
public struct DemoLoader: Sendable {
    /// Progress after each chunk: visitors done, events written so far.
    public typealias Progress = @Sendable (_ visitors: Int, _ events: Int) -> Void

    let store: Store
    let shop: DemoShop
    let chunkVisitors: Int

    /// Creates a loader.
    public init(store: Store, shop: DemoShop, chunkVisitors: Int = 2_000) {
        self.store = store
        self.shop = shop
        self.chunkVisitors = chunkVisitors
    }

    /// Generates and appends every visitor's events; returns how many events were new.
    @discardableResult
    public func load(progress: Progress = { _, _ in }) async throws -> Int {
        let total = shop.parameters.profiles
        let shop = self.shop
        var written = 0
        var start = 0
        var pending: Task<[Event], Never>? = Task { shop.events(forVisitors: 0..<min(chunkVisitors, total)) }
        while let current = pending {
            let events = await current.value
            let end = min(start + chunkVisitors, total)
            let nextStart = end
            pending = nextStart < total
                ? Task { shop.events(forVisitors: nextStart..<min(nextStart + chunkVisitors, total)) } : nil
            let ids = try await store.appendEvents(events)
            written += ids.count(where: { $0 != nil })
            progress(end, written)
            start = end
        }
        return written
    }
}
