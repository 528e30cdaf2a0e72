#!/usr/bin/env python3
"""Cato side by side with Portkey's open-source gateway, on the same machine, in front of the same upstream stub.

    scripts/bench_peers.py [--seconds S] [--rates 200,500,1000] [--full-path-rates 100,200] [--warmup-seconds S]
                           [--saturation-seconds S] [--only h2load|driver]

Each system gets a fresh process, a warm-up that is not measured, then the same fixed request rates:
  1. h2load (nghttp2's load tool) over HTTP/1.1, the same chat completion for every request: Cato as a stateless
     pass-through (no cache, no session, one tier pointing at the stub) and Portkey with the stub as its OpenAI
     provider's custom host; then each at saturation (256 connections, closed loop).
  2. The project's LoadDriver over HTTP/1.1, open loop, a different question in every request: the same two, and
     Cato's full path (1,000 conversations through X-Cato-Session, semantic cache on), which needs a different body
     per request and so cannot be driven by h2load, at rates of its own.
Prints markdown tables and appends JSON lines to docs/bench/peers.jsonl. Installs what is missing: h2load and Node
(apt-get), the gateway (npm ci in bench/peers).
"""
import argparse
import json
import os
import shutil
import subprocess
import time
import urllib.request

import benchproc as bp

UPSTREAM_MS = 50
PEERS_DIR = bp.ROOT / "bench" / "peers"
PORTKEY_MAIN = PEERS_DIR / "node_modules" / "@portkey-ai" / "gateway" / "build" / "start-server.js"
BODY = ('{"model":"auto","max_tokens":64,"messages":[{"role":"user",'
        '"content":"Explain load test question number 1 in two sentences."}]}')
# One request per connection per second: a connection is free again long before its next request is due, so h2load,
# which sends a connection's next request only once the previous one is answered, holds the rate open-loop as long as
# every answer takes less than a second. Runs report the requests that took longer ("late").
PER_CONNECTION_RPS = 1


def ensure_tools():
    missing = [package for tool, package in (("h2load", "nghttp2-client"), ("node", "nodejs"), ("npm", "npm"))
               if not shutil.which(tool)]
    if missing:
        bp.log(f"installing {', '.join(missing)} (apt-get)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not PORTKEY_MAIN.exists():
        bp.log("installing the Portkey gateway (npm ci in bench/peers)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS_DIR, check=True)


def portkey(run):
    port = bp.free_port()
    proc = run.spawn(f"portkey-{port}", ["node", str(PORTKEY_MAIN), f"--port={port}", "--headless"],
                     env={"NODE_ENV": "production"}, cwd=PEERS_DIR)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                if answer.status == 200:
                    return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench: the Portkey gateway did not start")


def headers(stub_port):
    """Sent to every system alike: Portkey routes by them, Cato ignores them."""
    return {"content-type": "application/json", "x-portkey-provider": "openai",
            "x-portkey-custom-host": f"http://127.0.0.1:{stub_port}/v1", "authorization": "Bearer sk-bench"}


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = max(0, min(len(sorted_values) - 1, -(-p * len(sorted_values) // 100) - 1))
    return sorted_values[int(index)]


def h2load(run, url, stub_port, options, label):
    """Runs h2load, returns its per-request log (start us, status, duration us) and its own CPU milliseconds."""
    log_file = run.work / f"h2load-{time.monotonic_ns()}.tsv"
    body = run.work / "body.json"
    body.write_text(BODY)
    args = ["h2load", "--h1", "-d", str(body), f"--log-file={log_file}", *options]
    for name, value in headers(stub_port).items():
        args += ["-H", f"{name}: {value}"]
    args.append(f"{url}/v1/chat/completions")
    if label:
        bp.log(f"{label} (load average {bp.load_average()})")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"bench: h2load failed: {output[-2000:]}")
    rows = [line.split("\t") for line in log_file.read_text().splitlines() if line.strip()] if log_file.exists() else []
    return rows, (usage.ru_utime + usage.ru_stime) * 1000, output


def summarise(rows, seconds):
    latencies = sorted(int(r[2]) / 1000 for r in rows)
    ok = sum(1 for r in rows if r[1] == "200")
    return {"requests": len(rows), "ok": ok, "errors": len(rows) - ok, "throughput_rps": round(ok / seconds, 1),
            "p50_ms": round(percentile(latencies, 50), 2), "p99_ms": round(percentile(latencies, 99), 2),
            "max_ms": round(latencies[-1] if latencies else 0, 2),
            "overhead_p50_ms": round(percentile(latencies, 50) - UPSTREAM_MS, 2),
            "overhead_p99_ms": round(percentile(latencies, 99) - UPSTREAM_MS, 2),
            "late": sum(1 for v in latencies if v > 1000 / PER_CONNECTION_RPS)}


def measured(run, gateway, stub, fn):
    """Runs fn, returning its result with the CPU the gateway and the stub spent meanwhile and the load averages."""
    before = (bp.cpu_ms(gateway.pid), bp.cpu_ms(stub.pid), bp.load_average())
    started = time.monotonic()
    result = fn()
    elapsed = time.monotonic() - started
    return result, {"gateway": bp.cpu_ms(gateway.pid) - before[0], "stub": bp.cpu_ms(stub.pid) - before[1]}, \
        before[2], bp.load_average(), elapsed


def fixed_rate(run, system, gateway, url, stub, stub_port, rate, seconds):
    connections = rate // PER_CONNECTION_RPS
    # Connections open one per period, spread over one second, so their requests do not arrive in bursts.
    period_ms = max(1, round(1000 / connections))
    options = ["-n", str(rate * seconds), "-c", str(connections), "-r", "1", f"--rate-period={period_ms}ms",
               "--rps", str(PER_CONNECTION_RPS)]
    (rows, driver_ms, _), cpu, load_before, load_after, elapsed = measured(
        run, gateway, stub, lambda: h2load(run, url, stub_port, options, f"h2load {system}, {rate}/s for {seconds} s"))
    line = {"tool": "h2load", "system": system, "rate": rate, "seconds": seconds, **summarise(rows, elapsed),
            "cpu_ms_per_request": per_request({**cpu, "driver": driver_ms}, len(rows)),
            "gateway_peak_rss_mb": bp.status_mb(gateway.pid, "VmHWM"),
            "load_average_before": load_before, "load_average": load_after}
    return line


def saturation(run, system, gateway, url, stub, stub_port, seconds):
    options = ["-c", "256", "-D", str(seconds), "--warm-up-time", "2"]
    (rows, driver_ms, output), cpu, load_before, load_after, _ = measured(
        run, gateway, stub, lambda: h2load(run, url, stub_port, options, f"h2load {system}, saturation, {seconds} s"))
    finished = next(line for line in output.splitlines() if line.startswith("finished in"))
    rate = float(finished.split(",")[1].split()[0])  # "finished in 20.00s, 1234.56 req/s, 1.2MB/s"
    summary = summarise(rows, seconds)
    summary["throughput_rps"] = rate
    return {"tool": "h2load", "system": system, "rate": "saturation (256 connections)", "seconds": seconds, **summary,
            "cpu_ms_per_request": per_request({**cpu, "driver": driver_ms}, len(rows)),
            "gateway_peak_rss_mb": bp.status_mb(gateway.pid, "VmHWM"),
            "load_average_before": load_before, "load_average": load_after}


def per_request(cpu, requests):
    return {k: round(v / requests, 3) if requests else None for k, v in cpu.items()}


def start(run, system, stub_port):
    if system == "portkey":
        return portkey(run)
    if system == "cato pass-through":
        return run.cato(stub_port, {"CATO_CACHE_ENABLED": "false"})
    return run.cato(stub_port, {"CATO_UPSTREAM_HTTP2": "true"})


def h2load_set(run, args, stub, stub_port):
    lines = []
    for system in ("cato pass-through", "portkey"):
        gateway, url = start(run, system, stub_port)
        bp.log(f"{system}: warm-up, {args.warmup_seconds} s, 64 connections (not measured)")
        h2load(run, url, stub_port, ["-c", "64", "-D", str(args.warmup_seconds)], None)
        for rate in args.rates:
            lines.append(fixed_rate(run, system, gateway, url, stub, stub_port, rate, args.seconds))
        lines.append(saturation(run, system, gateway, url, stub, stub_port, args.saturation_seconds))
        run.stop(gateway)
    return lines


def driver_set(run, args, stub, stub_port):
    lines = []
    scenarios = {"cato pass-through": "chat", "portkey": "chat", "cato full path": "chat-session"}
    out = run.work / "driver.jsonl"
    for system, scenario in scenarios.items():
        gateway, url = start(run, system, stub_port)
        for i, rate in enumerate(args.full_path_rates if system == "cato full path" else args.rates):
            warmup = rate * (args.warmup_seconds if i == 0 else 5)
            options = ["--connections", "20000", "--rate", rate, "--seconds", args.seconds, "--warmup", warmup,
                       "--warmup-rate", rate, "--sessions", "1000"]
            for name, value in headers(stub_port).items():
                options += ["--header", f"{name}: {value}"]
            result = run.driver(url, f"LoadDriver {system}, {rate}/s for {args.seconds} s", scenario, UPSTREAM_MS,
                                gateway, stub, options, out)
            lines.append({"tool": "LoadDriver", "system": system, "rate": rate, "seconds": args.seconds,
                          "requests": result["requests"], "ok": result["ok"], "errors": result["errors"],
                          "statuses": result["statuses"], "degraded": result["degraded"],
                          "throughput_rps": result["throughput_rps"], "p50_ms": result["p50_ms"],
                          "p99_ms": result["p99_ms"], "max_ms": result["max_ms"],
                          "overhead_p50_ms": result["overhead_p50_ms"], "overhead_p99_ms": result["overhead_p99_ms"],
                          "cpu_ms_per_request": {"gateway": result["cpu_ms_per_request"].get("server"),
                                                 "stub": result["cpu_ms_per_request"].get("upstream"),
                                                 "driver": result["cpu_ms_per_request"].get("driver")},
                          "gateway_peak_rss_mb": (result.get("server") or {}).get("peak_rss_mb"),
                          "load_average_before": bp.short_load(result["load_average_before"]),
                          "load_average": bp.short_load(result["load_average"])})
        run.stop(gateway)
    return lines


def table(lines):
    print("| tool | system | rate (req/s) | requests | errors | degraded | throughput (req/s) | p50 ms | p99 ms "
          "| max ms "
          "| overhead p50 / p99 ms | late (> 1 s) | CPU ms per request: gateway / stub / driver "
          "| gateway peak RSS MB | load average before -> after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for l in lines:
        cpu = l["cpu_ms_per_request"]
        errors = f"{l['errors']:,}" + (f" {json.dumps(l['statuses'])}" if l["errors"] and l.get("statuses") else "")
        print(f"| {l['tool']} | {l['system']} | {l['rate']} | {l['requests']:,} | {errors} | {l.get('degraded', '')} "
              f"| {l['throughput_rps']:,} | {l['p50_ms']} | {l['p99_ms']} | {l['max_ms']} "
              f"| {l['overhead_p50_ms']} / {l['overhead_p99_ms']} | {l.get('late', '')} "
              f"| {cpu['gateway']} / {cpu['stub']} / {cpu['driver']} | {l['gateway_peak_rss_mb']} "
              f"| {l['load_average_before']} -> {l['load_average']} |")


def ratios(lines):
    print("\n| tool | rate (req/s) | Cato pass-through / Portkey: overhead p50 | overhead p99 "
          "| gateway CPU per request "
          "| throughput |")
    print("|---|---|---|---|---|---|")
    by = {(l["tool"], str(l["rate"]), l["system"]): l for l in lines}
    for (tool, rate, system), cato in by.items():
        peer = by.get((tool, rate, "portkey"))
        if system != "cato pass-through" or not peer:
            continue
        ratio = lambda a, b: f"{a / b:.2f}" if b else "n/a"
        print(f"| {tool} | {rate} | {ratio(cato['overhead_p50_ms'], peer['overhead_p50_ms'])} "
              f"| {ratio(cato['overhead_p99_ms'], peer['overhead_p99_ms'])} "
              f"| {ratio(cato['cpu_ms_per_request']['gateway'], peer['cpu_ms_per_request']['gateway'])} "
              f"| {ratio(cato['throughput_rps'], peer['throughput_rps'])} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("CATO_BENCH_SECONDS", "30")))
    parser.add_argument("--rates", default="200,500,1000")
    # Each request of the full path reads and writes its conversation in DynamoDB Local and embeds each
    # conversation's first question: past about 200/s two cores do not hold it (see the standard set's sessions run).
    parser.add_argument("--full-path-rates", default="100,200")
    parser.add_argument("--warmup-seconds", type=int, default=20)
    parser.add_argument("--saturation-seconds", type=int, default=20)
    parser.add_argument("--only", choices=["h2load", "driver"], help="run one of the two sets")
    args = parser.parse_args()
    args.rates = [int(r) for r in args.rates.split(",")]
    args.full_path_rates = [int(r) for r in args.full_path_rates.split(",")]
    ensure_tools()
    run = bp.Run()
    try:
        stub, stub_port = run.stub(UPSTREAM_MS)
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
        bp.log(f"Node {node}, {subprocess.run(['h2load', '--version'], capture_output=True, text=True).stdout.strip()}")
        lines = []
        if args.only in (None, "h2load"):
            lines += h2load_set(run, args, stub, stub_port)
        if args.only in (None, "driver"):
            lines += driver_set(run, args, stub, stub_port)
    finally:
        run.close()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for line in lines:
        line["at"] = stamp
    out = bp.append_results(lines, "peers.jsonl")
    print(f"\nUpstream stub: {UPSTREAM_MS} ms. {stamp}. Node {node}.\n")
    table(lines)
    ratios(lines)
    bp.log(f"results appended to {out}")


if __name__ == "__main__":
    main()
