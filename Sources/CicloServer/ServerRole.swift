import CicloCore

/// What one `ciclo serve` process does when several share a PostgreSQL database: `api` answers tracking, the admin
/// API and the dashboard (and writes what it accepts); `worker` runs the background services (profiles, audiences,
/// journeys, delivery) and answers only `/health`, `/ready` and `/metrics`; `all`, the default, does both.
public enum ServerRole: String, Sendable, CaseIterable {
    case all, api, worker

    /// Reads `--role` or `CICLO_ROLE`.
    public static func parse(_ text: String) throws -> ServerRole {
        guard let role = ServerRole(rawValue: text.lowercased()) else {
            throw CicloError.badRequest("invalid_role", "The role \(text.prefix(40).debugDescription) is not all, api or worker.")
        }
        return role
    }

    /// True when this process serves the tracking API, the admin API and the dashboard.
    public var servesRequests: Bool { self != .worker }
    /// True when this process runs the background services.
    public var runsWorkers: Bool { self != .api }
}
