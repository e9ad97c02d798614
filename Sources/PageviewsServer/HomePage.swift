import Counting
import ServiceKit

/// The HTML page at `/`: views of `home` in the last 60 seconds, the serving
/// instance, the time of the total and a bar chart of the window. It works
/// without JavaScript. A short script refreshes the number and the chart
/// from the read API, which records nothing. It does so every second while
/// the tab is visible, and at once when the tab becomes visible again.
enum HomePage {
    static func render(total: CounterTotal?, instance: String, stale: Bool) -> [UInt8] {
        let views = total?.views ?? 0
        let asOf = total.map { UnixTime.iso8601(millis: $0.asOfMillis) } ?? "not yet computed"
        let series = total?.series ?? Array(repeating: 0, count: Int(Window.length))
        let html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>pageviews</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 40rem; color: #1d2330; }
            .views { font-size: 4rem; font-weight: 700; margin: 0; }
            .meta { color: #5b6475; }
            .stale { color: #b54708; }
            svg { display: block; max-width: 100%; height: auto; margin: 1.5rem 0; }
            svg rect { fill: #3d6fd8; }
            svg line { stroke: #c5cad3; }
            svg text { fill: #5b6475; font-size: 11px; }
            </style>
            </head>
            <body>
            <h1>Page views in the last 60 seconds</h1>
            <p class="views" id="views">\(views)</p>
            <p class="meta">Served by <strong id="instance">\(instance)</strong>, total as of <span id="as-of">\(asOf)</span><span id="stale" class="stale">\(stale ? " (stale)" : "")</span></p>
            \(chart(series))
            <p class="meta">Refresh the page to count a view and watch the serving instance change.</p>
            <script>
            (function () {
              function bars(series) {
                var max = Math.max(1, Math.max.apply(null, series));
                return series.map(function (v, i) {
                  var h = Math.round(v / max * 100);
                  return '<rect x="' + (i * 10) + '" y="' + (100 - h) + '" width="8" height="' + h + '"><title>' + v + '</title></rect>';
                }).join('');
              }
              function update() {
                if (document.visibilityState !== 'visible') return;
                fetch('/api/v1/counters/home?series=1').then(function (r) { return r.json(); }).then(function (d) {
                  document.getElementById('views').textContent = d.views_last_60s;
                  document.getElementById('as-of').textContent = d.as_of || 'not yet computed';
                  document.getElementById('stale').textContent = d.stale ? ' (stale)' : '';
                  if (d.series) document.getElementById('bars').innerHTML = bars(d.series);
                }).catch(function () {});
              }
              setInterval(update, 1000);
              document.addEventListener('visibilitychange', update);
            })();
            </script>
            </body>
            </html>

            """
        return Array(html.utf8)
    }

    /// Renders an inline SVG with one bar per second of the window, oldest on
    /// the left, over a baseline with the time labels below it. The page's
    /// script replaces only the bars, in `<g id="bars">`.
    static func chart(_ series: [Int64]) -> String {
        let maximum = max(1, series.max() ?? 1)
        var bars = ""
        for (index, value) in series.enumerated() {
            let height = Int((Double(value) / Double(maximum) * 100).rounded())
            bars += "<rect x=\"\(index * 10)\" y=\"\(100 - height)\" width=\"8\" height=\"\(height)\"><title>\(value)</title></rect>"
        }
        return """
            <svg id="chart" viewBox="0 0 600 118" width="600" height="118" role="img" aria-label="Views per second over the last 60 seconds">\
            <g id="bars">\(bars)</g><line x1="0" y1="100.5" x2="600" y2="100.5"/>\
            <text x="0" y="116">60 s ago</text><text x="598" y="116" text-anchor="end">now</text></svg>
            """
    }
}
