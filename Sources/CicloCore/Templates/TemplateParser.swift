import Foundation

/// Parses template text into nodes.
public enum TemplateParser {
    public static let filters: Set<String> = ["default", "upcase", "downcase", "capitalize", "money", "date", "truncate",
                                              "url_encode", "size", "first", "last", "round", "plus", "minus", "times", "escape"]

    /// The largest template source accepted, in bytes.
    public static let maxSourceBytes = 256 * 1024
    /// The deepest nesting of `{% if %}` and `{% for %}` blocks: parsing recurses per level, so this bounds the stack.
    public static let maxDepth = 16

    public static func parse(_ source: String) throws -> [TemplateNode] {
        guard source.utf8.count <= maxSourceBytes else {
            throw TemplateError(line: 1, message: "the template is larger than \(maxSourceBytes / 1024) KB")
        }
        var tokens = tokenize(source)
        var index = 0
        let nodes = try parseNodes(&tokens, &index, until: [], depth: 0)
        if index < tokens.count { throw TemplateError(line: tokens[index].line, message: "unexpected {% \(tokens[index].text) %}") }
        return nodes
    }

    struct Token { var kind: Kind; var text: String; var line: Int; enum Kind { case text, output, tag } }

    static func tokenize(_ source: String) -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(source)
        var line = 1
        while !rest.isEmpty {
            let nextOutput = rest.range(of: "{{"), nextTag = rest.range(of: "{%")
            let next = [nextOutput, nextTag].compactMap { $0 }.min { $0.lowerBound < $1.lowerBound }
            guard let open = next else {
                tokens.append(Token(kind: .text, text: String(rest), line: line))
                break
            }
            let text = rest[..<open.lowerBound]
            if !text.isEmpty { tokens.append(Token(kind: .text, text: String(text), line: line)) }
            line += text.unicodeScalars.count(where: { $0 == "\n" })
            let isTag = open == nextTag
            let closer = isTag ? "%}" : "}}"
            guard let close = rest[open.upperBound...].range(of: closer) else {
                tokens.append(Token(kind: .text, text: String(rest[open.lowerBound...]), line: line))
                break
            }
            let inner = rest[open.upperBound..<close.lowerBound]
            tokens.append(Token(kind: isTag ? .tag : .output, text: inner.trimmingCharacters(in: .whitespacesAndNewlines), line: line))
            line += inner.unicodeScalars.count(where: { $0 == "\n" })
            rest = rest[close.upperBound...]
        }
        return tokens
    }

    static func parseNodes(_ tokens: inout [Token], _ index: inout Int, until ends: Set<String>, depth: Int) throws -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .text:
                nodes.append(.text(token.text))
                index += 1
            case .output:
                nodes.append(.output(try expression(token.text, line: token.line), line: token.line))
                index += 1
            case .tag:
                let word = token.text.split(separator: " ").first.map(String.init) ?? ""
                if ends.contains(word) { return nodes }
                if word == "if" || word == "unless" || word == "for", depth >= maxDepth {
                    throw TemplateError(line: token.line, message: "blocks are nested more than \(maxDepth) deep")
                }
                index += 1
                switch word {
                case "if", "unless":
                    var branches: [(TemplateCondition, [TemplateNode])] = []
                    var condition = try self.condition(String(token.text.dropFirst(word.count)), negated: word == "unless", line: token.line)
                    var otherwise: [TemplateNode] = []
                    while true {
                        let body = try parseNodes(&tokens, &index, until: ["elsif", "else", "endif", "endunless"], depth: depth + 1)
                        guard index < tokens.count else { throw TemplateError(line: token.line, message: "{% \(word) %} is never closed") }
                        let end = tokens[index]
                        index += 1
                        let endWord = end.text.split(separator: " ").first.map(String.init) ?? ""
                        if endWord == "elsif" {
                            branches.append((condition, body))
                            condition = try self.condition(String(end.text.dropFirst(5)), negated: false, line: end.line)
                        } else if endWord == "else" {
                            branches.append((condition, body))
                            otherwise = try parseNodes(&tokens, &index, until: ["endif", "endunless"], depth: depth + 1)
                            guard index < tokens.count else { throw TemplateError(line: token.line, message: "{% \(word) %} is never closed") }
                            index += 1
                            break
                        } else {
                            branches.append((condition, body))
                            break
                        }
                    }
                    nodes.append(.conditional(branches, otherwise: otherwise))
                case "for":
                    let parts = token.text.split(separator: " ").map(String.init)
                    guard parts.count == 4, parts[2] == "in", isIdentifier(parts[1]) else {
                        throw TemplateError(line: token.line, message: "write {% for item in cart %}")
                    }
                    let body = try parseNodes(&tokens, &index, until: ["endfor"], depth: depth + 1)
                    guard index < tokens.count else { throw TemplateError(line: token.line, message: "{% for %} is never closed") }
                    index += 1
                    nodes.append(.loop(variable: parts[1], over: try path(parts[3], line: token.line), body: body, line: token.line))
                default:
                    throw TemplateError(line: token.line, message: "unknown tag {% \(word) %}")
                }
            }
        }
        return nodes
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    static func path(_ text: String, line: Int) throws -> TemplatePath {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ isIdentifier($0) || Int($0) != nil }) else {
            throw TemplateError(line: line, message: "\(text.debugDescription) is not a variable path")
        }
        return TemplatePath(parts: parts)
    }

    static func literal(_ text: String) -> JSONValue? {
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first { return .string(String(text.dropFirst().dropLast())) }
        if let i = Int64(text) { return .int(i) }
        if let d = Double(text) { return .double(d) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return nil
    }

    static func expression(_ text: String, line: Int) throws -> TemplateExpression {
        let pieces = splitOutside(text, separator: "|")
        guard let head = pieces.first?.trimmingCharacters(in: .whitespaces), !head.isEmpty else {
            throw TemplateError(line: line, message: "empty {{ }}")
        }
        var expression = TemplateExpression(path: nil, literal: literal(head), filters: [])
        if expression.literal == nil { expression.path = try path(head, line: line) }
        for piece in pieces.dropFirst() {
            let parts = piece.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, filters.contains(name) else {
                throw TemplateError(line: line, message: "unknown filter \(parts.first ?? ""); one of \(filters.sorted().joined(separator: ", "))")
            }
            var argument: JSONValue?
            if parts.count == 2 {
                guard let value = literal(parts[1]) else { throw TemplateError(line: line, message: "filter \(name) takes a quoted text or number") }
                argument = value
            }
            expression.filters.append((name, argument))
        }
        return expression
    }

    static func condition(_ text: String, negated: Bool, line: Int) throws -> TemplateCondition {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for op in ["==", "!=", ">=", "<=", ">", "<"] {
            if let range = trimmed.range(of: " \(op) ") {
                return TemplateCondition(left: try expression(String(trimmed[..<range.lowerBound]), line: line), comparison: op,
                                         right: try expression(String(trimmed[range.upperBound...]), line: line), negated: negated)
            }
        }
        return TemplateCondition(left: try expression(trimmed, line: line), comparison: nil, right: nil, negated: negated)
    }

    /// Splits on `separator` outside quoted text.
    static func splitOutside(_ text: String, separator: Character) -> [String] {
        var parts: [String] = [], current = "", quote: Character?
        for c in text {
            if let q = quote { current.append(c); if c == q { quote = nil }; continue }
            if c == "\"" || c == "'" { quote = c; current.append(c); continue }
            if c == separator { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        return parts
    }
}
