import Foundation

/// A parsed message template: text, `{{ path | filter: arg }}` outputs, `{% if %}` / `{% for %}` blocks.
/// A small, safe language of our own: no code runs, loops are bounded, and every variable is checked when saved.
public indirect enum TemplateNode: Sendable, Equatable {
    case text(String)
    case output(TemplateExpression, line: Int)
    case conditional([(TemplateCondition, [TemplateNode])], otherwise: [TemplateNode])
    case loop(variable: String, over: TemplatePath, body: [TemplateNode], line: Int)

    public static func == (a: Self, b: Self) -> Bool { "\(a)" == "\(b)" }

    /// The line a node starts on, where it knows it (text and conditionals report the first line they hold).
    var line: Int {
        switch self {
        case .output(_, let line), .loop(_, _, _, let line): line
        case .text: 1
        case .conditional(let branches, _): branches.first?.1.first?.line ?? 1
        }
    }
}

/// A dotted path into the render context (`profile.traits.first_name`, `item.price`).
public struct TemplatePath: Sendable, Equatable, CustomStringConvertible {
    public var parts: [String]
    public var description: String { parts.joined(separator: ".") }
}

/// A value with filters: `event.total | money: "EUR"`.
public struct TemplateExpression: Sendable, Equatable {
    public var path: TemplatePath?
    public var literal: JSONValue?
    public var filters: [(name: String, argument: JSONValue?)]

    public static func == (a: Self, b: Self) -> Bool { "\(a)" == "\(b)" }

    /// True when a `default` filter guards a missing value.
    var hasDefault: Bool { filters.contains { $0.name == "default" } }
}

/// An `if` test: a value is truthy, or compares with another.
public struct TemplateCondition: Sendable, Equatable {
    public var left: TemplateExpression
    public var comparison: String?
    public var right: TemplateExpression?
    public var negated: Bool
}

/// A template that failed to parse or check, with the line of the problem.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}
