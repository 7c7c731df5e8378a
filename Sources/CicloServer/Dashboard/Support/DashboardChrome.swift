import CicloStore
import Foundation

/// What every dashboard page shows around its content: navigation, workspace switcher, user, form token, notice.
struct DashboardChrome: Sendable {
    struct NavItem: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    struct WorkspaceOption: Sendable {
        var id: Int64
        var name: String
        var selected: Bool
    }

    var nav: [NavItem]
    var workspaces: [WorkspaceOption]
    var hasManyWorkspaces: Bool
    var workspaceName: String
    var email: String
    var role: String
    var csrf: String
    /// Marketers and admins may change things; viewers see no edit controls.
    var canEdit: Bool
    var isAdmin: Bool
    var notice: String?

    /// The sections of the dashboard, in navigation order.
    static let sections: [(label: String, href: String)] = [
        ("Overview", "/overview"), ("Lifecycle", "/lifecycle"), ("People", "/people"), ("Segments", "/segments"),
        ("Journeys", "/journeys"), ("Templates", "/templates"), ("Messages", "/messages"), ("Analytics", "/analytics"), ("Predictions", "/predictions"), ("Loyalty", "/loyalty"), ("Content", "/content"),
        ("Settings", "/settings"),
    ]

    /// Notices shown after a redirect, by key (the text is ours, never taken from the URL).
    static let notices: [String: String] = [
        "saved": "Saved.", "deleted": "Deleted.", "activated": "Journey activated.", "paused": "Journey paused.",
        "switched": "Workspace switched.", "recomputed": "Recomputed.", "token": "Token created; copy it now, it is shown once.",
        "member": "Member saved.", "rules": "Sending rules saved.", "retried": "Message queued again.",
        "model": "Lifecycle model saved.", "scored": "Everyone has been scored.",
    ]

    init(_ signedIn: DashboardSignedIn, path: String, notice: String? = nil) {
        nav = Self.sections.map { NavItem(label: $0.label, href: $0.href, current: path == $0.href || path.hasPrefix($0.href + "/")) }
        workspaces = signedIn.memberships.map {
            WorkspaceOption(id: $0.workspaceId, name: $0.workspaceName, selected: $0.workspaceId == signedIn.workspace.id)
        }
        hasManyWorkspaces = signedIn.memberships.count > 1
        workspaceName = signedIn.workspace.name
        email = signedIn.user.email
        role = signedIn.role.rawValue
        csrf = signedIn.csrfToken
        canEdit = signedIn.role >= .marketer
        isAdmin = signedIn.role == .admin
        self.notice = notice.flatMap { Self.notices[$0] }
    }
}
