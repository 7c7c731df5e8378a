import CicloCore
import Foundation

/// A tracking message that was rejected, kept with the reason so it can be inspected and replayed.
public struct IngestDeadLetter: Sendable, Codable, Equatable {
    /// The row id, once stored.
    public var id: Int64?
    /// The workspace of the write key it came with.
    public var workspaceId: Int64
    /// The source of the write key.
    public var sourceId: Int64?
    /// When it arrived (ms since epoch).
    public var receivedAt: Int64
    /// Why it was rejected (`no_user_anon_id`, ...).
    public var code: String
    /// The reason in words.
    public var message: String
    /// The message as received, as JSON text.
    public var payload: String

    /// Creates a dead letter.
    public init(id: Int64? = nil, workspaceId: Int64, sourceId: Int64?, receivedAt: Date, code: String, message: String,
                payload: String) {
        self.id = id
        self.workspaceId = workspaceId
        self.sourceId = sourceId
        self.receivedAt = receivedAt.epochMilliseconds
        self.code = code
        self.message = message
        self.payload = payload
    }
}
