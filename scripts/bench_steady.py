#!/usr/bin/env python3
"""Concurrency in steady state: lambda requests/s held for several times the upstream latency W, so that lambda * W
requests are in flight at once, with memory watched over time.

    scripts/bench_steady.py [h2c|http1] [--rate R] [--upstream-s W] [--seconds S] [--timeline-s T]

  h2c    1,000/s with W = 50 s: 50,000 in flight over h2c (256 streams per connection)       [default]
  http1  180/s with W = 50 s: 9,000 in flight over HTTP/1.1, one connection per request; the driver holds one
         socket per request and the server one per connection plus its upstream connections, within the 20,000
         files a process may open here (ulimit -n)
Targets: p99 <= W + 0.5 s, zero errors, memory bounded. Cato runs as in the capacity runs (no cache, no session,
64 upstream h2c connections) with its tier's timeout, its breaker's slow-call threshold and the request deadline
past W. Degraded answers (the memory tier answering instead of the upstream) are reported; the target needs none.
Every T seconds the driver
records its requests in flight and the server's resident set, and jstat the server's heap. Appends one JSON line
to docs/bench/steady.jsonl and prints a markdown summary.
"""
import argparse
import json
import subprocess
import time
from pathlib import Path

import benchproc as bp

DEFAULTS = {"h2c": (1000, 50), "http1": (180, 50)}


def config(upstream_ms, stub_port):
    deadline = upstream_ms + 40_000
    # A call that takes W is this upstream's normal pace, not a slow call that should open the breaker.
    return json.dumps({"limits": {"request_timeout_ms": deadline, "max_in_flight": 60000},
                       "breaker": {"slow_call_ms": upstream_ms + 30_000}, "tiers": [
        {"name": "shadow", "provider": "openai", "model_id": "stub", "base_url": f"http://127.0.0.1:{stub_port}/v1",
         "timeout_ms": upstream_ms + 30_000, "context_window": 8192, "history_budget": 6000,
         "max_output_tokens": 512},
        {"name": "memory", "provider": "memory", "model_id": "memory", "context_window": 32000,
         "history_budget": 16000, "max_output_tokens": 1000}], "fallback_chain": ["shadow", "memory"]})


def heap_sampler(run, pid, every_s):
    """jstat's view of the server's heap every few seconds: used and committed megabytes."""
    jstat = str(Path(bp.JAVA).parent / "jstat")
    out = open(run.work / "jstat.out", "w")
    return subprocess.Popen([jstat, "-gc", "-t", str(pid), f"{every_s * 1000}"], stdout=out,
                            stderr=subprocess.DEVNULL), run.work / "jstat.out"


def heap_timeline(path):
    lines = path.read_text().split("\n")
    header = lines[0].split()
    rows = []
    for line in lines[1:]:
        values = line.split()
        if len(values) != len(header):
            continue
        v = dict(zip(header, (float(x) if x.replace(".", "", 1).isdigit() else 0.0 for x in values)))
        used = v.get("S0U", 0) + v.get("S1U", 0) + v.get("EU", 0) + v.get("OU", 0)
        committed = v.get("S0C", 0) + v.get("S1C", 0) + v.get("EC", 0) + v.get("OC", 0)
        rows.append((v.get("Timestamp", 0), round(used / 1024), round(committed / 1024), int(v.get("FGC", 0))))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transport", nargs="?", default="h2c", choices=["h2c", "http1"])
    parser.add_argument("--rate", type=int)
    parser.add_argument("--upstream-s", type=int)
    parser.add_argument("--seconds", type=int, help="how long the rate is held (default 4 W)")
    parser.add_argument("--timeline-s", type=int, default=10)
    args = parser.parse_args()
    rate = args.rate or DEFAULTS[args.transport][0]
    upstream_s = args.upstream_s or DEFAULTS[args.transport][1]
    seconds = args.seconds or 4 * upstream_s
    upstream_ms = upstream_s * 1000
    run = bp.Run()
    try:
        stub, stub_port = run.stub(upstream_ms)
        server, url = run.cato(stub_port, {"CATO_CACHE_ENABLED": "false", "CATO_UPSTREAM_HTTP2": "true",
                                           "CATO_UPSTREAM_CONNECTIONS": "64",
                                           "CATO_CONFIG_JSON": config(upstream_ms, stub_port)})
        jstat, jstat_out = heap_sampler(run, server.pid, args.timeline_s)
        transport = ["--h2c", "true", "--connections", "256"] if args.transport == "h2c" else \
            ["--connections", str(rate * upstream_s + 2000)]
        label = f"steady state {rate}/s, {upstream_s} s upstream, {args.transport}, {seconds} s"
        # The warm-up's requests take W too: the driver waits for them before the measured run starts.
        result = run.driver(url, label, "plain", upstream_ms, server, stub,
                            [*transport, "--rate", rate, "--seconds", seconds, "--warmup", rate * 5,
                             "--warmup-rate", rate, "--timeout-s", upstream_s + 60, "--timeline-s", args.timeline_s],
                            run.work / "driver.jsonl")
        jstat.terminate()
        jstat.wait()
        result["heap_timeline"] = heap_timeline(jstat_out)
    finally:
        run.close()
    result["target_p99_ms"] = upstream_ms + 500
    result["at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = bp.append_results([result], "steady.jsonl")
    report(result, rate, upstream_s, seconds)
    bp.log(f"results appended to {out}")


def report(r, rate, upstream_s, seconds):
    cpu = r["cpu_ms_per_request"]
    met = r["p99_ms"] <= r["target_p99_ms"] and r["errors"] == 0 and r["degraded"] == 0
    print(f"\n{r['label']} ({r['at']}): lambda * W = {rate * upstream_s:,}\n")
    print("| requests | errors | degraded | max in flight at the driver | p50 ms | p99 ms | p99 of the second half ms "
          "| target p99 ms | max ms "
          "| server peak RSS MB | CPU ms per request: server / stub / driver | load average before -> after | met |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {r['requests']:,} | {r['errors']:,} {json.dumps(r['statuses'])} | {r['degraded']:,} "
          f"| {r['max_in_flight']:,} | {r['p50_ms']:,} | {r['p99_ms']:,} | {r['second_half_p99_ms']:,} "
          f"| {r['target_p99_ms']:,} | {r['max_ms']:,} "
          f"| {(r.get('server') or {}).get('peak_rss_mb')} | {cpu.get('server')} / {cpu.get('upstream')} / "
          f"{cpu.get('driver')} | {bp.short_load(r['load_average_before'])} -> {bp.short_load(r['load_average'])} "
          f"| {'yes' if met else 'no'} |")
    heap = r.get("heap_timeline", [])
    print("\n| seconds into the run | in flight at the driver | server RSS MB |\n|---|---|---|")
    for t, in_flight, rss in r.get("timeline", []):
        print(f"| {t} | {in_flight:,} | {rss:,} |")
    print("\n| server uptime s (jstat) | heap used MB | heap committed MB | full collections |\n|---|---|---|---|")
    for t, used, committed, full in heap:
        print(f"| {t:.0f} | {used:,} | {committed:,} | {full} |")


if __name__ == "__main__":
    main()
