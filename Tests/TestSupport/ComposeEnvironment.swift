import Foundation

/// Reads the names of the environment variables that a Compose file sets for
/// one service, so tests can compare them with the options a binary accepts.
///
/// The toolchain ships no YAML library, so this reads lines. It understands
/// the subset that docker-compose.yml uses: block mappings indented with
/// spaces, comments on their own lines, and an `environment:` block in
/// mapping form (`NAME: value`) or list form (`- NAME=value`). Flow style
/// (`environment: {…}`), anchors and `env_file` are not read; the service
/// then counts as having no environment block.
public enum ComposeEnvironment {
    /// A line that is neither blank nor a comment, with its indentation in spaces.
    struct Line {
        let indent: Int
        let content: Substring
    }

    /// The repository's docker-compose.yml.
    public static var repositoryFile: URL {
        ClusterFixture.packageRoot.appendingPathComponent("docker-compose.yml")
    }

    /// Returns the variable names that `service` sets, in file order, or nil when the
    /// file has no such service or the service has no `environment:` block.
    public static func variableNames(service: String, in text: String) -> [String]? {
        let lines = significantLines(text)
        guard let services = lines.firstIndex(where: { $0.indent == 0 && $0.content == "services:" }),
              let serviceLine = child(named: "\(service):", of: services, in: lines),
              let environment = child(named: "environment:", of: serviceLine, in: lines)
        else { return nil }

        let entries = children(of: environment, in: lines)
        guard let entryIndent = entries.first?.indent else { return [] }
        return entries.filter { $0.indent == entryIndent }.map { variableName(of: $0.content) }
    }

    static func significantLines(_ text: String) -> [Line] {
        // Character.isNewline also matches "\r\n", which Swift keeps as one Character.
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            let content = raw.drop(while: { $0 == " " })
            guard !content.isEmpty, !content.hasPrefix("#") else { return nil }
            return Line(indent: raw.count - content.count, content: content)
        }
    }

    /// Returns the lines indented deeper than `parent` that follow it, up to the next
    /// line at the parent's indentation or less.
    static func children(of parent: Int, in lines: [Line]) -> ArraySlice<Line> {
        let start = parent + 1
        let end = lines[start...].firstIndex(where: { $0.indent <= lines[parent].indent }) ?? lines.endIndex
        return lines[start..<end]
    }

    /// Returns the index of the direct child of `parent` whose content is exactly `key`.
    static func child(named key: String, of parent: Int, in lines: [Line]) -> Int? {
        let block = children(of: parent, in: lines)
        guard let childIndent = block.first?.indent else { return nil }
        return block.firstIndex(where: { $0.indent == childIndent && $0.content == key })
    }

    /// `NAME` from `NAME: value`, `- NAME=value` or `- NAME`, without quotes.
    static func variableName(of entry: Substring) -> String {
        var name: Substring
        if entry.hasPrefix("- ") {
            name = entry.dropFirst(2).prefix(while: { $0 != "=" })
        } else {
            name = entry.prefix(while: { $0 != ":" })
        }
        name = name.drop(while: { $0 == " " })
        while let last = name.last, last == " " {
            name = name.dropLast()
        }
        return String(name.filter { $0 != "\"" && $0 != "'" })
    }
}
