import Foundation

/// Checks a template when it is saved: every variable must be one Ciclo provides, and values that may be missing
/// (traits, event properties) need a `default` or an `{% if %}` around them, so no send goes out half-rendered.
public enum TemplateChecker {
    /// Roots always present in the render context.
    public static let roots: Set<String> = ["profile", "traits", "computed", "event", "workspace", "links", "message", "cart",
                                            "recommendations", "content", "similar", "predictions", "loyalty"]
    /// Roots whose members vary by person or event.
    static let open: Set<String> = ["traits", "event", "predictions", "loyalty"]
    static let profileFields: Set<String> = ["id", "email", "user_id", "name", "first_name", "last_name", "phone", "stage", "persona",
                                             "time_zone", "locale"]
    static let linkFields: Set<String> = ["unsubscribe", "preferences", "view_in_browser", "nps"]

    public static func check(_ nodes: [TemplateNode]) throws {
        try check(nodes, locals: [], guarded: [])
    }

    static func check(_ nodes: [TemplateNode], locals: Set<String>, guarded: Set<String>) throws {
        for node in nodes {
            switch node {
            case .text: break
            case .output(let e, let line): try check(e, line: line, locals: locals, guarded: guarded)
            case .conditional(let branches, let otherwise):
                var seen = guarded
                for (condition, body) in branches {
                    // Conditions may test anything; a tested path is safe to print inside the branch.
                    if let path = condition.left.path, !condition.negated { seen.insert(path.description) }
                    try check(body, locals: locals, guarded: seen)
                }
                try check(otherwise, locals: locals, guarded: guarded)
            case .loop(let variable, let over, let body, let line):
                guard let root = over.parts.first, roots.contains(root) || locals.contains(root) else {
                    throw TemplateError(line: line, message: "unknown variable \(over)")
                }
                try check(body, locals: locals.union([variable, "forloop"]), guarded: guarded)
            }
        }
    }

    static func check(_ e: TemplateExpression, line: Int, locals: Set<String>, guarded: Set<String>) throws {
        guard let path = e.path, let root = path.parts.first else { return }
        if locals.contains(root) { return }
        guard roots.contains(root) else {
            throw TemplateError(line: line, message: "unknown variable \(path); use one of \(roots.sorted().joined(separator: ", "))")
        }
        let guardedHere = e.hasDefault || (1...path.parts.count).contains { guarded.contains(path.parts.prefix($0).joined(separator: ".")) }
        if open.contains(root) && path.parts.count > 1 && !guardedHere {
            throw TemplateError(line: line, message: "\(path) may be missing for some people; add | default: \"...\" or wrap it in {% if \(path) %}")
        }
        if root == "profile", path.parts.count > 1, !profileFields.contains(path.parts[1]) {
            throw TemplateError(line: line, message: "profile has no \(path.parts[1]); one of \(profileFields.sorted().joined(separator: ", "))")
        }
        if root == "links", path.parts.count > 1, !linkFields.contains(path.parts[1]) {
            throw TemplateError(line: line, message: "links has no \(path.parts[1]); one of \(linkFields.sorted().joined(separator: ", "))")
        }
    }
}
