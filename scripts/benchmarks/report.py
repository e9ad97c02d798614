"""The results table (text and Markdown), the SVG chart and the results
section of docs/benchmarks.md."""

import html
import os
from dataclasses import dataclass

START_MARKER = "<!-- results: written by scripts/bench, edits here are overwritten -->"
END_MARKER = "<!-- end of results -->"


@dataclass
class Row:
    measure: str
    pageviews: str
    reference: str
    result: str
    target: str
    met: bool | None  # None when the row has no target

    @property
    def verdict(self):
        if self.met is None:
            return ""
        return "met" if self.met else "not met"


HEADERS = ["measure", "pageviews", "reference", "result", "target", "verdict"]


def cells(row):
    return [row.measure, row.pageviews, row.reference, row.result, row.target, row.verdict]


def text_table(rows):
    widths = [max(len(h), *(len(cells(r)[i]) for r in rows)) for i, h in enumerate(HEADERS)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(cells(r), widths)) for r in rows]
    return "\n".join(lines)


def markdown_table(rows):
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def update_document(path, results_markdown):
    """Replaces the results section of `path`, or appends one, keeping the text around it."""
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    section = f"{START_MARKER}\n\n{results_markdown.strip()}\n\n{END_MARKER}"
    if START_MARKER in text and END_MARKER in text:
        before = text.split(START_MARKER, 1)[0]
        after = text.split(END_MARKER, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    with open(path, "w") as file:
        file.write(text)


def bar_chart_svg(path, throughput, latency):
    """Writes two grouped bar charts side by side, pageviews next to nginx.

    `throughput`: [(label, pageviews req/s, nginx req/s)];
    `latency`: [(label, pageviews ms, nginx ms)].
    """
    width, height = 960, 400
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    parts += panel(20, "Throughput (requests/s, median, higher is better)", throughput, lambda v: f"{v / 1000:.1f}k")
    parts += panel(500, "Latency at half the maximum rate (ms, lower is better)", latency, lambda v: f"{v:.2f}")
    parts += [f'<rect x="20" y="375" width="12" height="12" fill="{COLORS[0]}"/>',
              '<text x="38" y="385">pageviews</text>',
              f'<rect x="120" y="375" width="12" height="12" fill="{COLORS[1]}"/>',
              '<text x="138" y="385">nginx (return 200, same body size)</text>',
              '<text x="420" y="385">single: one replica, one event loop; cluster: three behind HAProxy</text>',
              "</svg>"]
    with open(path, "w") as file:
        file.write("\n".join(parts) + "\n")


COLORS = ["#3d6fd8", "#9aa3b5"]


def panel(left, title, groups, format_value):
    """SVG elements of one bar chart, 440 px wide, with its title at the top."""
    top, chart_height, chart_width = 40, 280, 440
    peak = max([max(p, n) for _, p, n in groups] + [1e-9])
    group_width = chart_width / max(len(groups), 1)
    bar_width = group_width * 0.35
    parts = [f'<text x="{left}" y="20" font-weight="bold">{html.escape(title)}</text>',
             f'<line x1="{left}" y1="{top + chart_height}" x2="{left + chart_width}" '
             f'y2="{top + chart_height}" stroke="black"/>']
    for index, (label, pageviews, nginx) in enumerate(groups):
        x = left + index * group_width + group_width * 0.1
        for offset, (value, color) in enumerate(zip((pageviews, nginx), COLORS)):
            bar_height = chart_height * value / peak
            bar_x = x + offset * bar_width
            bar_y = top + chart_height - bar_height
            parts.append(f'<rect x="{bar_x:.1f}" y="{bar_y:.1f}" width="{bar_width:.1f}" '
                         f'height="{bar_height:.1f}" fill="{color}"/>')
            parts.append(f'<text x="{bar_x + bar_width / 2:.1f}" y="{bar_y - 4:.1f}" '
                         f'text-anchor="middle" font-size="10">{format_value(value)}</text>')
        parts.append(f'<text x="{x + bar_width:.1f}" y="{top + chart_height + 16}" '
                     f'text-anchor="middle">{html.escape(label)}</text>')
    return parts
