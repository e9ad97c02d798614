/// The embeddable badge: `views · last minute | 123`, in the flat style of
/// README badges, 20 px high.
///
/// Text widths are estimates for Verdana at 11 px. `textLength` makes each
/// text fit its box exactly, so a missing font changes the look but not the layout.
enum BadgeSVG {
    static let label = "views · last minute"

    /// Renders the badge for `views`. A stale total gets a grey value box instead of a blue one.
    static func render(views: Int64, stale: Bool) -> String {
        let value = String(views)
        let labelWidth = boxWidth(label)
        let valueWidth = boxWidth(value)
        let width = labelWidth + valueWidth
        let color = stale ? "#9f9f9f" : "#3d6fd8"
        let title = "\(label): \(value)\(stale ? " (stale)" : "")"
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="20" role="img" aria-label="\(title)">\
            <title>\(title)</title>\
            <linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\
            <stop offset="1" stop-opacity=".1"/></linearGradient>\
            <clipPath id="r"><rect width="\(width)" height="20" rx="3" fill="#fff"/></clipPath>\
            <g clip-path="url(#r)"><rect width="\(labelWidth)" height="20" fill="#555"/>\
            <rect x="\(labelWidth)" width="\(valueWidth)" height="20" fill="\(color)"/>\
            <rect width="\(width)" height="20" fill="url(#s)"/></g>\
            <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\
            \(text(label, center: labelWidth / 2))\(text(value, center: labelWidth + valueWidth / 2))</g></svg>

            """
    }

    /// Renders a text with a one-pixel shadow below it, centred on `center`.
    private static func text(_ content: String, center: Int) -> String {
        let length = textWidth(content)
        return "<text x=\"\(center)\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\" textLength=\"\(length)\">\(content)</text>"
            + "<text x=\"\(center)\" y=\"14\" textLength=\"\(length)\">\(content)</text>"
    }

    /// Returns the text's width plus 5 px of padding on each side.
    private static func boxWidth(_ content: String) -> Int {
        textWidth(content) + 10
    }

    /// Estimated width in px: Verdana 11 px has digits and most lower-case
    /// letters of about 7 px, narrow letters of about 3 px and spaces of 4 px.
    private static func textWidth(_ content: String) -> Int {
        var width = 0.0
        for character in content {
            switch character {
            case " ", "·": width += 3.9
            case "i", "l", "t", "f", "j", "r": width += 3.9
            case "m", "w": width += 10.0
            default: width += 6.9
            }
        }
        return Int(width.rounded(.up))
    }
}
