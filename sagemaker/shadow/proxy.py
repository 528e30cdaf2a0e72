"""The Shadow Self container's front door on :8080, in front of vLLM on loopback.

  GET  /ping          200 when vLLM is healthy (SageMaker's health check)
  POST /invocations   {"operation": "generate", ...OpenAI chat completions request}  (the default
                      when "operation" is absent: what Cato's SageMaker tier sends) -> vLLM's
                      response, status and body passed through so 429/400/5xx keep their meaning
                      {"operation": "verify", "question", "answer"} -> {"probe_score",
                      "layer_scores", "n_tokens", "supported", "threshold", "probe_version"}

vLLM runs with the extract_hidden_states speculator and the hidden-states KV connector, so every
request leaves a .safetensors file (and a .lock the writer holds until the file is complete)
whose path is in the response's kv_transfer_params. Verify reads the file; every file, verify's
or generate's, is deleted after use. Standard library and numpy only."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import safetensors_np
from probe import Probe, ProbeError

LOG = logging.getLogger("cato.shadow")
MAX_BODY = 4 * 1024 * 1024


@dataclass
class Config:
    upstream: str = "http://127.0.0.1:8000"
    served_model_name: str = "shadow-self"
    probe_path: str | None = None
    hidden_states_dir: str = "/tmp/hidden-states"
    extracted_layers: tuple[int, ...] = (8, 16, 24, 31)
    upstream_timeout_s: float = 60.0
    lock_timeout_s: float = 10.0

    @staticmethod
    def from_env(env=os.environ) -> "Config":
        return Config(upstream=env.get("UPSTREAM_URL", "http://127.0.0.1:8000"),
                      served_model_name=env.get("SERVED_MODEL_NAME", "shadow-self"),
                      probe_path=env.get("PROBE_PATH"),
                      hidden_states_dir=env.get("HIDDEN_STATES_DIR", "/tmp/hidden-states"),
                      extracted_layers=tuple(int(x) for x in env.get("HIDDEN_STATE_LAYERS", "8,16,24,31").split(",")),
                      upstream_timeout_s=float(env.get("UPSTREAM_TIMEOUT_S", "60")))


class BadRequest(Exception):
    pass


class UpstreamFailure(Exception):
    def __init__(self, status: int, body: bytes):
        super().__init__(f"upstream answered {status}")
        self.status, self.body = status, body


@dataclass
class Shadow:
    config: Config
    probe: Probe | None = None
    _deleting: list = field(default_factory=list)

    def __post_init__(self):
        if self.probe is None and self.config.probe_path and Path(self.config.probe_path).exists():
            self.probe = Probe.load(self.config.probe_path)

    # -------------------------------------------------------------- upstream

    def call(self, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.config.upstream + path, data=data, method="GET" if body is None else "POST",
                                         headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.config.upstream_timeout_s) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else {}
        except urllib.error.HTTPError as e:
            raise UpstreamFailure(e.code, e.read()) from e
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            raise UpstreamFailure(503, json.dumps({"error": {"message": f"model server unreachable: {e}"}}).encode()) from e

    def healthy(self) -> bool:
        try:
            return self.call("/health")[0] == 200
        except UpstreamFailure:
            return False

    # -------------------------------------------------------------- hidden-state files

    def hidden_states_file(self, response: dict) -> Path | None:
        path = (response.get("kv_transfer_params") or {}).get("hidden_states_path")
        if not path:
            return None
        resolved = Path(path).resolve()
        root = Path(self.config.hidden_states_dir).resolve()
        if root not in resolved.parents:
            raise UpstreamFailure(502, json.dumps({"error": {"message": "hidden states outside their directory"}}).encode())
        return resolved

    def wait_written(self, path: Path) -> None:
        """The connector holds an exclusive lock on PATH.lock until the file is complete."""
        lock = Path(str(path) + ".lock")
        if not lock.exists():
            return
        deadline = time.monotonic() + self.config.lock_timeout_s
        with open(lock) as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                    return
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise UpstreamFailure(504, b'{"error":{"message":"hidden states were not written in time"}}')
                    time.sleep(0.005)

    def delete(self, path: Path) -> None:
        try:
            self.wait_written(path)
        except UpstreamFailure:
            LOG.warning("deleting hidden states still being written: %s", path.name)
        for leftover in (path, Path(str(path) + ".lock")):
            leftover.unlink(missing_ok=True)

    def delete_later(self, path: Path) -> threading.Thread:
        thread = threading.Thread(target=self.delete, args=(path,), daemon=True)
        thread.start()
        return thread

    # -------------------------------------------------------------- operations

    def generate(self, body: dict) -> tuple[int, dict]:
        if body.get("stream"):
            raise BadRequest("streaming is not supported through /invocations")
        if not isinstance(body.get("messages"), list) or not body["messages"]:
            raise BadRequest("messages must be a non-empty list")
        status, response = self.call("/v1/chat/completions", {**body, "model": self.config.served_model_name})
        path = self.hidden_states_file(response)
        if path is not None:
            self._deleting.append(self.delete_later(path))
        response.pop("kv_transfer_params", None)
        return status, response

    def verify(self, body: dict) -> dict:
        if self.probe is None:
            raise UpstreamFailure(503, b'{"error":{"message":"no probe is loaded (PROBE_PATH)"}}')
        question, answer = body.get("question"), body.get("answer")
        if not isinstance(question, str) or not question.strip() or not isinstance(answer, str) or not answer.strip():
            raise BadRequest("verify needs non-empty 'question' and 'answer' strings")
        # The answer is the prompt's last (assistant) turn: its hidden states are read, nothing is generated.
        _, response = self.call("/v1/chat/completions", {
            "model": self.config.served_model_name,
            "messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}],
            "add_generation_prompt": False, "continue_final_message": True,
            "max_tokens": 1, "temperature": 0})
        path = self.hidden_states_file(response)
        if path is None:
            raise UpstreamFailure(502, b'{"error":{"message":"the model server returned no hidden states"}}')
        try:
            self.wait_written(path)
            tensors = safetensors_np.load(path)
            return self.probe.score(tensors["hidden_states"], self.config.extracted_layers)
        except (KeyError, ValueError) as e:
            raise UpstreamFailure(502, json.dumps({"error": {"message": f"unreadable hidden states: {e}"}}).encode()) from e
        finally:
            self.delete(path)


def handler_for(shadow: Shadow):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # access logs would carry nothing useful; never bodies
            LOG.debug(fmt, *args)

        def send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def error(self, status: int, message: str) -> None:
            self.send(status, json.dumps({"error": {"message": message}}).encode())

        def do_GET(self):
            if self.path != "/ping":
                return self.error(404, "no such route")
            if shadow.healthy():
                self.send(200, b'{"status":"ok"}')
            else:
                self.error(503, "model server not ready")

        def do_POST(self):
            if self.path != "/invocations":
                return self.error(404, "no such route")
            length = int(self.headers.get("content-length") or 0)
            if length <= 0 or length > MAX_BODY:
                return self.error(413 if length > MAX_BODY else 400, "a JSON body of at most 4 MiB is required")
            try:
                body = json.loads(self.rfile.read(length))
                if not isinstance(body, dict):
                    raise BadRequest("the body must be a JSON object")
                operation = body.pop("operation", "generate")
                if operation == "generate":
                    status, response = shadow.generate(body)
                    self.send(status, json.dumps(response).encode())
                elif operation == "verify":
                    self.send(200, json.dumps(shadow.verify(body)).encode())
                else:
                    raise BadRequest(f"unknown operation {operation!r} (generate, verify)")
            except (BadRequest, json.JSONDecodeError, ProbeError) as e:
                self.error(400, str(e))
            except UpstreamFailure as e:
                self.send(e.status, e.body)

    return Handler


def serve(config: Config, port: int, host: str = "0.0.0.0") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), handler_for(Shadow(config)))
    server.daemon_threads = True
    return server


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format='{"level":"%(levelname)s","logger":"%(name)s","message":"%(message)s"}')
    serve(Config.from_env(), int(os.environ.get("PORT", "8080"))).serve_forever()
