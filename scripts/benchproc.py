"""Processes of a load run on this machine: the upstream stub, Cato, DynamoDB Local, the load driver;
their CPU time and memory from /proc. Shared by bench_peers.py and bench_steady.py."""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAVA = str(Path(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")) / "bin" / "java")
SERVER_JAVA_OPTS = ["--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                    os.environ.get("CATO_BENCH_GC", "-XX:+UseParallelGC")]
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def classpath(module, kind):
    base = ROOT / module / "target"
    listed = (base / f"{kind}-classpath.txt").read_text().strip()
    own = [str(base / "test-classes"), str(base / "classes")] if kind == "test" else [str(base / "classes")]
    return ":".join(own + [listed])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def short_load(loadavg):
    """The 1, 5 and 15 minute load averages of a /proc/loadavg line."""
    return " ".join(str(loadavg).split()[:3])


def cpu_ms(pid):
    """User plus system CPU time of a process in milliseconds (fields 14 and 15 of /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS


def status_mb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return -1


def thread_cpu_ms(pid):
    """CPU milliseconds per thread name (digits dropped, so a pool's threads add up), from /proc/PID/task."""
    totals = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            stat = (task / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        group = "".join(c if not c.isdigit() else "#" for c in name).rstrip("#-").replace("##", "#")
        totals[group] = totals.get(group, 0) + (int(fields[11]) + int(fields[12])) * TICK_MS
    return totals


class Run:
    """Starts processes in a scratch directory and stops them all at the end."""

    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="cato-bench-"))
        self.procs = []
        self.test_cp = classpath("tests", "test")
        self.server_cp = classpath("local", "runtime")

    def spawn(self, name, args, env=None, cwd=None):
        out = open(self.work / f"{name}.out", "w")
        err = open(self.work / f"{name}.err", "w")
        proc = subprocess.Popen(args, stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=cwd,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def wait_for(self, name, text, proc, seconds=120):
        path = self.work / f"{name}.out"
        deadline = time.time() + seconds
        while time.time() < deadline:
            if text in path.read_text(errors="replace"):
                return path.read_text(errors="replace")
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        sys.stderr.write((self.work / f"{name}.err").read_text(errors="replace")[-4000:])
        raise SystemExit(f"bench: {name} did not start")

    def stub(self, latency_ms):
        name = f"stub-{random.randrange(1 << 30)}"
        proc = self.spawn(name, [JAVA, "-Xss256k", "-cp", self.test_cp, "io.cato.load.UpstreamStub",
                                 "--latency-ms", str(latency_ms)])
        deadline = time.time() + 60
        while time.time() < deadline:
            first = (self.work / f"{name}.out").read_text().strip()
            if first:
                return proc, int(first.splitlines()[0])
            time.sleep(0.1)
        raise SystemExit("bench: the upstream stub did not start")

    def dynamodb(self):
        """DynamoDB Local in a process of its own, persisted in the scratch directory like the embedded one."""
        port = free_port()
        data = self.work / f"dynamodb-{port}"
        data.mkdir()
        proc = self.spawn(f"dynamodb-{port}", [JAVA, "--enable-native-access=ALL-UNNAMED", "-cp", self.server_cp,
                                               "software.amazon.dynamodb.services.local.main.ServerRunner",
                                               "-dbPath", str(data), "-sharedDb", "-port", str(port),
                                               "-disableTelemetry"])
        deadline = time.time() + 60
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return proc, f"http://127.0.0.1:{port}"
            time.sleep(0.2)
        raise SystemExit("bench: DynamoDB Local did not start")

    def cato(self, stub_port, env=None, jvm=(), serve=()):
        port = free_port()
        name = f"cato-{port}"
        base = {"CATO_TIER_SHADOW_BASE_URL": f"http://127.0.0.1:{stub_port}/v1", "CATO_ADMIN_TOKEN": "bench"}
        heap = [f"-Xmx{os.environ['CATO_BENCH_HEAP']}"] if os.environ.get("CATO_BENCH_HEAP") else []
        proc = self.spawn(name, [JAVA, *SERVER_JAVA_OPTS, *heap, *jvm, "-cp", self.server_cp, "io.cato.local.Main",
                                 "serve", "--port", str(port), "--data", str(self.work / f"data-{port}"), *serve],
                          env={**base, **(env or {})})
        self.wait_for(name, "listening", proc)
        return proc, f"http://127.0.0.1:{port}"

    def driver(self, url, label, scenario, upstream_ms, server, stub, options, out):
        args = [JAVA, "-Xss256k", "-cp", self.test_cp, "io.cato.load.LoadDriver", "--url", url, "--label", label,
                "--scenario", scenario, "--upstream-ms", str(upstream_ms), "--server-pid", str(server.pid),
                "--upstream-pid", str(stub.pid), "--out", str(out), *[str(o) for o in options]]
        log(f"{label} (load average {load_average()})")
        done = subprocess.run(args, stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise SystemExit(f"bench: the load driver failed for {label}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    @staticmethod
    def stop(proc):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def close(self):
        for proc in reversed(self.procs):
            self.stop(proc)
        if os.environ.get("CATO_BENCH_KEEP"):
            log(f"logs and data kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def append_results(lines, name):
    out = ROOT / "docs" / "bench" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    return out
