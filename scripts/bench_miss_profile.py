#!/usr/bin/env python3
"""Where the model path spends its CPU: cache misses with a session, the store's work apart from the server's.

    scripts/bench_miss_profile.py [--rate 30] [--seconds 30] [--warmup-seconds 60] [--scenario model-session]

Cato runs twice, each time fresh, 50 ms upstream: once with DynamoDB Local in a process of its own
(`cato serve --dynamodb URL`), once with the embedded one. Each gets a warm-up of its own questions, then a measured
run of new ones, during which
  - the CPU time of every process is read from /proc (server, DynamoDB Local, stub, driver),
  - the server's CPU by thread name (JIT compiler, collector, request threads, HTTP client, DynamoDB Local's own),
  - a JFR recording with CPU-time samples (JDK 25, native code included) splits the server's Java threads by feature.
Prints markdown tables and appends one JSON line per run to docs/bench/miss-profile.jsonl.
"""
import argparse
import subprocess
import time
from pathlib import Path

import benchproc as bp
import jfr_breakdown

UPSTREAM_MS = 50
JVM_THREADS = {"GC": ("GC Thread", "VM Thread", "VM Periodic", "G1", "Parallel"), "JIT": ("C# CompilerThre",)}


def jcmd(pid, *args):
    jcmd_path = str(Path(bp.JAVA).parent / "jcmd")
    return subprocess.run([jcmd_path, str(pid), *args], capture_output=True, text=True, check=True).stdout


def thread_groups(before, after, requests):
    """Per-thread CPU deltas, per request, with the JVM's own threads gathered under GC and JIT."""
    groups = {}
    for name, ms in after.items():
        delta = ms - before.get(name, 0)
        if delta <= 0:
            continue
        group = next((g for g, prefixes in JVM_THREADS.items() if name.startswith(prefixes)), name)
        groups[group] = groups.get(group, 0) + delta
    return {k: round(v / requests, 3) for k, v in sorted(groups.items(), key=lambda kv: -kv[1])}


def profile(run, args, stub, stub_port, external, first):
    serve, store = [], None
    if external:
        store, endpoint = run.dynamodb()
        serve = ["--dynamodb", endpoint]
    server, url = run.cato(stub_port, {"CATO_UPSTREAM_HTTP2": "true"},
                           jvm=["-XX:FlightRecorderOptions:stackdepth=256"], serve=serve)
    label = f"{args.scenario}, {args.rate}/s, DynamoDB Local {'in its own process' if external else 'embedded'}"
    out = run.work / "driver.jsonl"
    common = ["--h2c", "true", "--connections", "256", "--rate", args.rate]
    run.driver(url, f"warm-up: {label}", args.scenario, UPSTREAM_MS, server, stub,
               [*common, "--seconds", args.warmup_seconds, "--first", first], out)
    recording = run.work / f"miss-{server.pid}.jfr"
    jcmd(server.pid, "JFR.start", "name=miss", "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=5ms",
         "jdk.ExecutionSample#enabled=false")
    threads_before = bp.thread_cpu_ms(server.pid)
    store_before = bp.cpu_ms(store.pid) if store else None
    result = run.driver(url, label, args.scenario, UPSTREAM_MS, server, stub,
                        [*common, "--seconds", args.seconds, "--first", first + 10_000_000], out)
    threads_after = bp.thread_cpu_ms(server.pid)
    store_ms = bp.cpu_ms(store.pid) - store_before if store else None
    jcmd(server.pid, "JFR.stop", "name=miss", f"filename={recording}")
    run.stop(server)
    if store:
        run.stop(store)
    requests = result["requests"]
    threads = thread_groups(threads_before, threads_after, requests)
    java_ms = sum(v for k, v in threads.items() if k not in JVM_THREADS) * requests
    features = jfr_breakdown.breakdown(recording)
    sampled = sum(features.values()) or 1
    return {"label": label, "scenario": args.scenario, "rate": args.rate, "seconds": args.seconds,
            "requests": requests, "ok": result["ok"], "errors": result["errors"], "p50_ms": result["p50_ms"],
            "p99_ms": result["p99_ms"], "cpu_ms_per_request": {**result["cpu_ms_per_request"],
                                                               "dynamodb_local_process": round(store_ms / requests, 3)
                                                               if store else None},
            "server_threads_ms_per_request": threads,
            # The samples' shares, applied to the CPU the server's Java threads spent according to /proc.
            "server_java_threads_by_feature_ms_per_request": {
                f"{name} [{side}]": round(ms / sampled * java_ms / requests, 3)
                for (name, side), ms in sorted(features.items(), key=lambda kv: -kv[1])},
            "jfr_sampled_ms": round(sampled), "load_average_before": result["load_average_before"],
            "load_average": result["load_average"]}


def report(lines):
    for line in lines:
        cpu = line["cpu_ms_per_request"]
        print(f"\n### {line['label']}, {line['seconds']} s: {line['requests']:,} requests, {line['errors']} errors, "
              f"p50 {line['p50_ms']} ms, p99 {line['p99_ms']} ms; "
              f"load average {bp.short_load(line['load_average_before'])} -> "
              f"{bp.short_load(line['load_average'])}\n")
        print("| process | CPU ms per request |\n|---|---|")
        print(f"| Cato server | {cpu.get('server')} |")
        if cpu.get("dynamodb_local_process") is not None:
            print(f"| DynamoDB Local (own process) | {cpu['dynamodb_local_process']} |")
        print(f"| upstream stub | {cpu.get('upstream')} |\n| load driver | {cpu.get('driver')} |")
        print("\n| server thread | CPU ms per request |\n|---|---|")
        for name, ms in line["server_threads_ms_per_request"].items():
            if ms >= 0.01:
                print(f"| {name} | {ms} |")
        print("\n| server Java threads by feature [where it runs in AWS] | CPU ms per request |\n|---|---|")
        own = 0.0
        for name, ms in line["server_java_threads_by_feature_ms_per_request"].items():
            own += ms if name.endswith("[function]") else 0
            print(f"| {name} | {ms} |")
        jvm = sum(line["server_threads_ms_per_request"].get(k, 0) for k in ("GC",))
        print(f"| **the orchestrator's own work ([function] rows)** | **{own:.3f}** |")
        print(f"| collector (GC threads), on top | {jvm:.3f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--warmup-seconds", type=int, default=60)
    parser.add_argument("--scenario", default="model-session", choices=["model-session", "model"])
    parser.add_argument("--only", choices=["external", "embedded"])
    args = parser.parse_args()
    run = bp.Run()
    lines = []
    try:
        stub, stub_port = run.stub(UPSTREAM_MS)
        for i, external in enumerate((True, False)):
            if args.only in (None, "external" if external else "embedded"):
                lines.append(profile(run, args, stub, stub_port, external, first=i * 100_000_000))
    finally:
        run.close()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for line in lines:
        line["at"] = stamp
    out = bp.append_results(lines, "miss-profile.jsonl")
    print(f"\nUpstream stub {UPSTREAM_MS} ms, {stamp}.")
    report(lines)
    bp.log(f"results appended to {out}")


if __name__ == "__main__":
    main()
