#!/usr/bin/env bash
# The standard load set against the embedded default, each scenario on a fresh server process, with
# the upstream stub in a process of its own: results as JSON lines, then a table and a latency plot
# under docs/bench/. Needs a JDK 25 on PATH and the build (./cato bench does both).
#   scripts/bench.sh [quick|standard|capacity|all]
#     quick     short runs of the three workload scenarios (about 2 minutes)
#     standard  cache hits 60 s, model path, sessions (about 5 minutes)   [default]
#     capacity  50,000 concurrent requests over h2c and 10,000 HTTP/1.1 connections, 1 s upstream
#     chaos [S] [R]  one tier with 5% 5xx, 2% 429, 1% hangs past its 2 s timeout and 10% slow streams, a healthy
#               tier behind it, R requests/s (default 100) for S seconds (default 600): errors that reach callers
#     hits R [S]  exact-cache hits at R requests/s for S seconds (default 60); CATO_BENCH_WARMUP=0 starts cold
#     slow-clients [N] [S] [body|headers]  N connections (default 12,000) sending a request a byte a second while
#               ordinary callers ask at 50/s for S seconds (default 60), at the default limits
#     wave N [h2c|http1]  one wave of N concurrent requests, 1 s upstream (the capacity runs at another size)
#     jmh [RE]  the hot-path microbenchmarks (HotPathBenchmark, or those matching RE, e.g.
#               HotPathBenchmark.verifierScore), raw output in bench/target/hot-path.json
#     all       standard, then capacity
#     peers [--seconds S] [--rates R1,R2]  Cato side by side with Portkey's gateway (scripts/bench_peers.py)
#     steady [h2c|http1] [--rate R --upstream-s W --seconds S]  lambda * W requests in flight in steady state
#               (scripts/bench_steady.py)
#     miss-profile [--rate R --seconds S]  where a cache miss with a session spends its CPU, the store's work
#               apart (scripts/bench_miss_profile.py)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SET="${1:-standard}"
case "$SET" in
  peers) shift; exec python3 "$ROOT/scripts/bench_peers.py" "$@" ;;
  steady) shift; exec python3 "$ROOT/scripts/bench_steady.py" "$@" ;;
  miss-profile) shift; exec python3 "$ROOT/scripts/bench_miss_profile.py" "$@" ;;
esac
if [ "$SET" = jmh ]; then
  cd "$ROOT/bench"
  exec java --enable-native-access=ALL-UNNAMED -cp "target/classes:$(cat target/runtime-classpath.txt)" \
    org.openjdk.jmh.Main "${2:-HotPathBenchmark}" -rf json -rff target/hot-path.json
fi
OUT="$ROOT/docs/bench"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cato-bench.XXXXXX")"
RESULTS="$OUT/results.jsonl"
mkdir -p "$OUT"
: > "$WORK/results.jsonl"
CP="$ROOT/tests/target/test-classes:$ROOT/tests/target/classes:$(cat "$ROOT/tests/target/test-classpath.txt")"
SERVER_CP="$ROOT/local/target/classes:$(cat "$ROOT/local/target/runtime-classpath.txt")"
# The server's collector is the one ./cato serve uses unless CATO_BENCH_GC names another (e.g. -XX:+UseZGC).
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector "${CATO_BENCH_GC:--XX:+UseParallelGC}")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  # CATO_BENCH_KEEP=1 keeps the servers' logs and data of the run for a look afterwards.
  if [ -n "${CATO_BENCH_KEEP:-}" ]; then echo "bench: logs and data kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

start_stub() { # latency-ms [stub options...]
  local out="$WORK/stub-$RANDOM.out"
  java -Xss256k -cp "$CP" io.cato.load.UpstreamStub --latency-ms "$@" > "$out" 2>>"$WORK/stub.err" &
  STUB_PID=$!; PIDS+=("$STUB_PID")
  for _ in $(seq 300); do [ -s "$out" ] && break; sleep 0.1; done
  STUB_PORT="$(head -1 "$out")"
}

start_cato() { # extra env assignments...
  local port data; port=$((20000 + RANDOM % 10000)); data="$WORK/data-$port"
  env CATO_TIER_SHADOW_BASE_URL="http://127.0.0.1:$STUB_PORT/v1" CATO_UPSTREAM_HTTP2=true CATO_ADMIN_TOKEN=bench \
    "$@" java "${JAVA_OPTS[@]}" ${CATO_BENCH_HEAP:+-Xmx$CATO_BENCH_HEAP} -cp "$SERVER_CP" io.cato.local.Main serve --port "$port" --data "$data" \
    > "$WORK/cato-$port.out" 2>"$WORK/cato-$port.err" &
  CATO_PID=$!; PIDS+=("$CATO_PID"); CATO_URL="http://127.0.0.1:$port"
  for _ in $(seq 600); do grep -q "listening" "$WORK/cato-$port.out" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: Cato did not start" >&2; cat "$WORK/cato-$port.err" >&2; exit 1
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

drive() { # label scenario upstream-ms driver-options...
  local label="$1" scenario="$2" upstream="$3"; shift 3
  echo "bench: $label (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  java -Xss256k -cp "$CP" io.cato.load.LoadDriver --url "$CATO_URL" --label "$label" --scenario "$scenario" \
    --upstream-ms "$upstream" --server-pid "$CATO_PID" --upstream-pid "$STUB_PID" --out "$WORK/results.jsonl" "$@"
}

workloads() { # seconds for the cache run, seconds for the others
  start_stub 50
  start_cato
  drive "exact-cache hits, 1,000/s" cache-hit 0 --h2c true --connections 256 --warmup 20000 --warmup-rate 1000 --rate 1000 --seconds "$1"
  stop "$CATO_PID"
  start_cato
  drive "exact-cache hits, 5,000/s" cache-hit 0 --h2c true --connections 256 --warmup 20000 --warmup-rate 1000 --rate 5000 --seconds "$1"
  stop "$CATO_PID"
  start_cato
  drive "model path (cache miss), 500/s" model 50 --h2c true --connections 256 --warmup 3000 --warmup-rate 100 --rate 500 --seconds "$2"
  stop "$CATO_PID"
  start_cato
  drive "model path (cache miss), 100/s" model 50 --h2c true --connections 256 --warmup 3000 --warmup-rate 100 --rate 100 --seconds "$2"
  stop "$CATO_PID"
  start_cato
  drive "model path (cache miss), 30/s" model 50 --h2c true --connections 256 --warmup 3000 --warmup-rate 100 --rate 30 --seconds "$2"
  stop "$CATO_PID"
  start_cato
  drive "1,000 sessions multi-turn, 200/s" sessions 50 --h2c true --connections 256 --warmup 3000 --warmup-rate 100 --rate 200 --seconds "$2" --sessions 1000
  stop "$CATO_PID"; stop "$STUB_PID"
}

chaos() { # seconds rate
  start_stub 50 --seed 7; local healthy="$STUB_PORT" healthy_pid="$STUB_PID"
  start_stub 50 --server-errors 0.05 --throttled 0.02 --hangs 0.01 --slow-streams 0.1 --seed 11
  start_cato CATO_CACHE_ENABLED=false CATO_CONFIG_JSON='{"tiers": [
    {"name": "shadow", "provider": "openai", "model_id": "chaotic", "base_url": "http://127.0.0.1:'"$STUB_PORT"'/v1",
     "timeout_ms": 2000, "context_window": 8192, "history_budget": 6000, "max_output_tokens": 512},
    {"name": "backup", "provider": "openai", "model_id": "healthy", "base_url": "http://127.0.0.1:'"$healthy"'/v1",
     "timeout_ms": 5000, "context_window": 8192, "history_budget": 6000, "max_output_tokens": 512},
    {"name": "memory", "provider": "memory", "model_id": "memory", "context_window": 32000,
     "history_budget": 16000, "max_output_tokens": 1000}],
    "fallback_chain": ["shadow", "backup", "memory"]}'
  drive "chaos on one tier, healthy tier behind, $2/s for $1 s" plain 50 --h2c true --connections 256 --warmup 100 --rate "$2" --seconds "$1"
  stop "$CATO_PID"; stop "$STUB_PID"; stop "$healthy_pid"
}

capacity() {
  start_stub 1000
  start_cato CATO_MAX_IN_FLIGHT=60000 CATO_CACHE_ENABLED=false CATO_UPSTREAM_CONNECTIONS=64
  drive "50,000 concurrent, h2c, 1 s upstream" plain 1000 --h2c true --connections 256 --warmup 10000 --warmup-rate 1000 --wave 50000 --ramp-ms 1000
  stop "$CATO_PID"
  start_cato CATO_MAX_IN_FLIGHT=60000 CATO_CACHE_ENABLED=false CATO_UPSTREAM_CONNECTIONS=64
  drive "10,000 connections, HTTP/1.1, 1 s upstream" plain 1000 --connections 12000 --warmup 10000 --warmup-rate 1000 --wave 10000 --ramp-ms 1000
  stop "$CATO_PID"; stop "$STUB_PID"
}

wave() { # requests transport
  start_stub 1000
  start_cato CATO_MAX_IN_FLIGHT=60000 CATO_CACHE_ENABLED=false CATO_UPSTREAM_CONNECTIONS=64
  if [ "$2" = http1 ]; then
    drive "$1 connections, HTTP/1.1, 1 s upstream" plain 1000 --connections $(($1 + 2000)) --warmup 10000 --warmup-rate 1000 --wave "$1" --ramp-ms 1000
  else
    drive "$1 concurrent, h2c, 1 s upstream" plain 1000 --h2c true --connections 256 --warmup 10000 --warmup-rate 1000 --wave "$1" --ramp-ms 1000
  fi
  stop "$CATO_PID"; stop "$STUB_PID"
}

slow_clients() { # clients seconds trickle
  start_stub 50
  start_cato
  local soak="$WORK/slow-clients.json"
  java -Xss256k -cp "$CP" io.cato.load.SlowClients --url "$CATO_URL" --clients "$1" --seconds "$(($2 + 20))" \
    --trickle "$3" --interval-ms 1000 > "$soak" 2>>"$WORK/slow.err" &
  local slow_pid=$!
  # The slow clients connect first and hold their connections for the whole run.
  sleep 15
  drive "ordinary callers, 50/s, beside $1 slow clients trickling their $3" model 50 --h2c true --connections 64 \
    --warmup 500 --warmup-rate 50 --rate 50 --seconds "$2"
  wait "$slow_pid" || true
  echo "bench: slow clients: $(cat "$soak")" >&2
  stop "$CATO_PID"; stop "$STUB_PID"
}

case "$SET" in
  slow-clients) slow_clients "${2:-12000}" "${3:-60}" "${4:-body}" ;;
  wave) wave "${2:-10000}" "${3:-h2c}" ;;
  hits) start_stub 50; start_cato
    drive "exact-cache hits, $2/s, ${3:-60} s, server ${CATO_BENCH_GC:--XX:+UseParallelGC}" cache-hit 0 --h2c true \
      --connections 256 --warmup "${CATO_BENCH_WARMUP:-20000}" --warmup-rate 1000 --rate "$2" --seconds "${3:-60}"
    stop "$CATO_PID"; stop "$STUB_PID" ;;
  model30) start_stub 50; start_cato
    drive "model path (cache miss), 30/s" model 50 --h2c true --connections 256 --warmup 3000 --warmup-rate 100 --rate 30 --seconds 60
    stop "$CATO_PID"; stop "$STUB_PID" ;;
  quick) workloads 10 10 ;;
  standard) workloads 60 30 ;;
  capacity) capacity ;;
  chaos) chaos "${2:-600}" "${3:-100}" ;;
  all) workloads 60 30; capacity ;;
  *) echo "usage: scripts/bench.sh [quick|standard|capacity|chaos [SECONDS [RATE]]|hits RATE [SECONDS]|wave N [h2c|http1]|slow-clients [N] [S] [body|headers]|jmh [RE]|all|peers|steady [h2c|http1]|miss-profile]" >&2; exit 2 ;;
esac
cat "$WORK/results.jsonl" >> "$RESULTS"
python3 "$ROOT/scripts/bench_report.py" "$RESULTS" "$OUT"
echo "bench: results in $OUT/RESULTS.md and $OUT/latency.svg" >&2
