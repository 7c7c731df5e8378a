/// The size limits of the tracking API, the same as Segment's so SDKs batch the same way.
public enum TrackingLimits {
    /// Largest accepted message, in bytes of compact JSON.
    public static let messageBytes = 32 * 1024
    /// Largest accepted request body, in bytes after decompression.
    public static let requestBytes = 500 * 1024
    /// Most messages in one batch.
    public static let batchMessages = 2_500
    /// Longest accepted `messageId`.
    public static let messageIdLength = 100
}
