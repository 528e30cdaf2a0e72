#!/usr/bin/env python3
"""Where a Cato server's CPU went, by feature, from a JFR recording with CPU-time samples (jdk.CPUTimeSample, JDK 25).

    scripts/jfr_breakdown.py RECORDING.jfr [REQUESTS] [--detail TEXT]

--detail TEXT lists, for the categories whose name contains TEXT, the methods on top of their samples.

Each sample stands for the CPU time its thread used since the previous one (its sampling period), in Java or in
native code (ONNX Runtime for MiniLM). A sample goes to the first category, in the order below, any frame of its
stack (or its thread's name) matches: a Jackson frame under the model client counts as the model call, not as JSON.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

# (category, where the work runs in AWS, patterns matched against the stack's frames or, with "thread:", the thread)
CATEGORIES = [
    ("DynamoDB Local itself (embedded engine, SQLite)", "store",
     ["software.amazon.dynamodb.services.local", "com.amazonaws.services.dynamodbv2.local", "com.almworks.sqlite4java",
      "thread:qtp", "thread:SQLiteQueue"]),
    ("vector index (Lucene here, OpenSearch in AWS)", "store",
     ["org.apache.lucene", "io.cato.cache.LuceneVectorIndex"]),
    ("verification (in-process here, a Step Functions workflow in AWS)", "workflow",
     ["io.cato.verification.LocalVerificationStarter", "io.cato.verification.Verification."]),
    ("MiniLM embedding (tokenizer and ONNX Runtime)", "function",
     ["ai.onnxruntime", "io.cato.embedding.MiniLmTokenEncoder"]),
    ("duplicate verifier (pair features, network head, boosted trees)", "function",
     ["io.cato.verifier.DuplicateVerifier", "io.cato.verifier.BoostedTrees", "io.cato.verifier.MlpHead",
      "io.cato.verifier.InteractionHead", "io.cato.verifier.PairFeatures", "io.cato.verifier.AlignmentFeatures",
      "io.cato.verifier.LexicalFeatures", "io.cato.verifier.TokenDots", "io.cato.verifier.HeadStacking"]),
    ("DynamoDB calls: sessions", "function", ["io.cato.aws.dynamodb.DynamoDbSessionStore"]),
    ("DynamoDB calls: exact cache tier", "function", ["io.cato.aws.dynamodb.DynamoDbExactCache"]),
    ("DynamoDB calls: breakers", "function", ["io.cato.aws.dynamodb.DynamoDbBreakerStore"]),
    ("DynamoDB calls: idempotency", "function", ["io.cato.aws.dynamodb.PowertoolsIdempotencyStore"]),
    ("DynamoDB calls: facts and other", "function", ["software.amazon.awssdk", "io.cato.aws.dynamodb"]),
    ("model call (OpenAI-compatible client, JDK HttpClient)", "function",
     ["io.cato.model.OpenAiCompatibleModelClient", "jdk.internal.net.http", "thread:HttpClient"]),
    ("semantic cache logic (scope, text, exact copies)", "function",
     ["io.cato.cache.", "io.cato.verifier.", "io.cato.embedding."]),
    ("routing, fallback chain, breakers", "function", ["io.cato.routing.", "io.cato.breaker."]),
    ("sessions and context assembly", "function", ["io.cato.session."]),
    ("memory recall", "function", ["io.cato.memory."]),
    ("API: JSON (Jackson) outside the calls above", "function", ["com.fasterxml.jackson"]),
    ("API: endpoints, errors, metrics", "function", ["io.cato.api.", "io.cato.status."]),
    ("HTTP server (Jetty: parsing, writing, connections)", "function",
     ["org.eclipse.jetty", "io.cato.local.LocalServer", "thread:cato-http"]),
    ("JFR and JVM housekeeping", "jvm", ["jdk.jfr", "thread:JFR", "thread:Attach", "thread:Common-Cleaner"]),
]
OTHER = ("other", "function")


def samples(recording):
    """(thread name, CPU milliseconds, stack frames) for each CPU-time sample of the recording."""
    jfr = Path(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")) / "bin" / "jfr"
    text = subprocess.run([str(jfr), "print", "--events", "jdk.CPUTimeSample", "--stack-depth", "256",
                           str(recording)], capture_output=True, text=True, check=True).stdout
    for block in text.split("jdk.CPUTimeSample {")[1:]:
        period = re.search(r"samplingPeriod = ([\d.]+) (ms|us|s|ns)", block)
        if not period:
            continue
        scale = {"ms": 1, "us": 1e-3, "ns": 1e-6, "s": 1e3}[period.group(2)]
        thread = re.search(r'eventThread = "([^"]*)"', block)
        stack = block.split("stackTrace = [", 1)[1].rsplit("]", 1)[0] if "stackTrace = [" in block else ""
        yield (thread.group(1) if thread else "", float(period.group(1)) * scale,
               [line.strip() for line in stack.splitlines() if line.strip()])


def category(thread, frames):
    for name, side, patterns in CATEGORIES:
        for pattern in patterns:
            if pattern.startswith("thread:"):
                if thread.startswith(pattern[7:]):
                    return name, side
            elif any(pattern in frame for frame in frames):
                return name, side
    return OTHER


def breakdown(recording):
    """CPU milliseconds by (category, side), and the total, over the recording's samples."""
    totals = {}
    for thread, ms, frames in samples(recording):
        key = category(thread, frames)
        totals[key] = totals.get(key, 0.0) + ms
    return totals


def detail(recording, text, top=15):
    """The leaf methods (and the first Cato method under them) of the samples in the categories matching text."""
    methods = {}
    for thread, ms, frames in samples(recording):
        name, _ = category(thread, frames)
        if text in name and frames:
            leaf = frames[0].split("(")[0]
            caller = next((f.split("(")[0] for f in frames if f.startswith("io.cato.")), "")
            methods[(leaf, caller)] = methods.get((leaf, caller), 0.0) + ms
    print(f"\n| method on top (first Cato method below it), in '{text}' | CPU ms |\n|---|---|")
    for (leaf, caller), ms in sorted(methods.items(), key=lambda kv: -kv[1])[:top]:
        print(f"| {leaf} ({caller}) | {ms:,.0f} |")


def main():
    args = [a for a in sys.argv[1:]]
    text = None
    if "--detail" in args:
        i = args.index("--detail")
        text = args[i + 1]
        del args[i:i + 2]
    recording = args[0]
    requests = int(args[1]) if len(args) > 1 else 0
    totals = breakdown(recording)
    all_ms = sum(totals.values())
    print("| category | side | CPU ms | share |" + (" ms per request |" if requests else ""))
    print("|---|---|---|---|" + ("---|" if requests else ""))
    for (name, side), ms in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {side} | {ms:,.0f} | {ms / all_ms:.1%} |" + (f" {ms / requests:.3f} |" if requests else ""))
    if text:
        detail(recording, text)


if __name__ == "__main__":
    main()
