"""Turns the load driver's JSON lines into a Markdown table and an SVG latency plot (latest run per label)."""
import json
import math
import sys
from pathlib import Path

results_file, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
runs = {}
for line in results_file.read_text().splitlines():
    if line.strip():
        run = json.loads(line)
        runs[run["label"]] = run
runs = list(runs.values())

rows = ["| scenario | transport | requests | errors | degraded answers | throughput (req/s) | max in flight at the driver | p50 ms | p95 ms | p99 ms "
        "| max ms | p99 minus upstream ms | server peak RSS MB | load average at end |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for r in runs:
    server = r.get("server") or {}
    overhead = f'{r["overhead_p99_ms"]:.1f}' if r["upstream_ms"] else ""
    failed = ", ".join(f'{"no answer" if s == "-1" else s}: {n:,}' for s, n in r["statuses"].items() if s != "200")
    errors = f'{r["errors"]:,} ({failed})' if r["errors"] else "0"
    rows.append(f'| {r["label"]} | {r["transport"]} | {r["requests"]:,} | {errors} | {r.get("degraded", "")} | {r["throughput_rps"]:,.0f} '
                f'| {r["max_in_flight"]:,} | {r["p50_ms"]:.1f} | {r["p95_ms"]:.1f} | {r["p99_ms"]:.1f} '
                f'| {r["max_ms"]:.1f} | {overhead} | {server.get("peak_rss_mb", "")} | {" ".join(r["load_average"].split()[:3])} |')
(out_dir / "RESULTS.md").write_text("# Load results (latest run of each scenario)\n\n" + "\n".join(rows) + "\n\n"
                                    "![latency](latency.svg)\n")

# Grouped bars of p50 / p95 / p99 per scenario, logarithmic latency axis.
width, row_h, left, top = 900, 46, 330, 40
height = top + row_h * len(runs) + 50
lo, hi = 0.1, max([r["max_ms"] for r in runs] + [10])
def x(ms):
    ms = max(ms, lo)
    return left + (width - left - 20) * (math.log10(ms) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
colours = {"p50_ms": "#4c78a8", "p95_ms": "#f58518", "p99_ms": "#e45756"}
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
       f'font-size="12"><rect width="100%" height="100%" fill="white"/>',
       f'<text x="{left}" y="20" font-size="14">End-to-end latency (ms, log scale): p50, p95, p99</text>']
decade = 10 ** math.floor(math.log10(lo))
while decade <= hi * 10:
    if lo <= decade <= hi:
        svg.append(f'<line x1="{x(decade):.1f}" y1="{top - 5}" x2="{x(decade):.1f}" y2="{height - 40}" stroke="#ddd"/>'
                   f'<text x="{x(decade):.1f}" y="{height - 25}" text-anchor="middle">{decade:g}</text>')
    decade *= 10
for i, r in enumerate(runs):
    y = top + i * row_h
    svg.append(f'<text x="{left - 8}" y="{y + 22}" text-anchor="end">{r["label"]}</text>')
    for j, key in enumerate(["p50_ms", "p95_ms", "p99_ms"]):
        svg.append(f'<rect x="{left}" y="{y + 4 + j * 12}" width="{max(1, x(r[key]) - left):.1f}" height="10" '
                   f'fill="{colours[key]}"><title>{key[:-3]} {r[key]:.1f} ms</title></rect>'
                   f'<text x="{x(r[key]) + 4:.1f}" y="{y + 13 + j * 12}" font-size="10">{r[key]:.1f}</text>')
svg.append("</svg>")
(out_dir / "latency.svg").write_text("\n".join(svg) + "\n")
