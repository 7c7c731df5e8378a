import CicloCore
import CicloStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A segment's members as CSV, streamed page by page so a million members never sit in memory at once.
enum SegmentExport {
    static let header = "profile_id,user_id,email,name,entered_at,order_count,total_revenue\n"

    static func response(store: Store, segment: SegmentRecord) -> Response {
        let segmentId = segment.id
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8",
                      .contentDisposition: "attachment; filename=\"\(segment.definition.key).csv\"", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: header))
                var after: Int64 = 0
                while true {
                    let page = try await store.segmentMembers(segmentId: segmentId, afterProfileId: after, limit: 5_000)
                    guard let last = page.last else { break }
                    var chunk = ""
                    for (p, entered) in page { chunk += line(p, enteredAt: entered) }
                    try await writer.write(ByteBuffer(string: chunk))
                    after = last.0.id
                }
                try await writer.finish(nil)
            })
    }

    static func line(_ p: ProfileSummary, enteredAt: Int64) -> String {
        [String(p.id), p.userId ?? "", p.email ?? "", p.name ?? "", ISO8601.format(Date(epochMilliseconds: enteredAt)),
         String(p.orderCount), String(format: "%.2f", p.totalRevenue)].map(CSVWriter.field).joined(separator: ",") + "\n"
    }
}
