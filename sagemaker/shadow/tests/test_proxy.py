"""The proxy against a stub vLLM that answers chat completions and writes real safetensors files
of hidden states ([n_tokens, n_layers, hidden], bfloat16) as the hidden-states connector does."""

import http.client
import json
import math
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

import proxy
import safetensors_np
from probe import Probe, ProbeError

LAYERS = (8, 16, 24, 31)
HIDDEN = 8
N_TOKENS = 5


class StubVllm:
    """Loopback stand-in for vLLM's OpenAI server: records requests, writes one file per request."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.requests: list[dict] = []
        self.written: list[Path] = []
        self.states: list[np.ndarray] = []
        self.status = 200
        self.path_override: str | None = None
        self.healthy = True
        self.rng = np.random.default_rng(7)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                self.reply(200 if stub.healthy else 503, {})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                stub.requests.append(body)
                if stub.status != 200:
                    return self.reply(stub.status, {"error": {"message": "stub failure", "code": stub.status}})
                states = stub.rng.normal(size=(N_TOKENS, len(LAYERS), HIDDEN)).astype(np.float32)
                path = stub.directory / f"req-{len(stub.requests)}.safetensors"
                safetensors_np.save({"hidden_states": states, "token_ids": np.arange(N_TOKENS, dtype=np.int64)},
                                    path, bf16=("hidden_states",))
                Path(str(path) + ".lock").touch()
                stub.written.append(path)
                stub.states.append(states)
                self.reply(200, {
                    "id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris."},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": N_TOKENS, "completion_tokens": 1, "total_tokens": N_TOKENS + 1},
                    "kv_transfer_params": {"hidden_states_path": stub.path_override or str(path)}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


PROBE_RNG = np.random.default_rng(11)
PROBE_SPEC = {
    "version": "test-1",
    "layers": [16, 31],
    "pooling": "mean",
    "mean": PROBE_RNG.normal(size=(2, HIDDEN)).round(3).tolist(),
    "scale": (PROBE_RNG.uniform(0.5, 2.0, size=(2, HIDDEN))).round(3).tolist(),
    "weights": PROBE_RNG.normal(scale=0.3, size=(2, HIDDEN)).round(3).tolist(),
    "bias": -0.25,
    "threshold": 0.5,
}


@pytest.fixture
def setup(tmp_path):
    states_dir = tmp_path / "hidden-states"
    states_dir.mkdir()
    probe_path = tmp_path / "probe.json"
    probe_path.write_text(json.dumps(PROBE_SPEC))
    stub = StubVllm(states_dir)
    config = proxy.Config(upstream=stub.url, served_model_name="cato-test-shadow", probe_path=str(probe_path),
                          hidden_states_dir=str(states_dir), extracted_layers=LAYERS, upstream_timeout_s=5)
    server = proxy.serve(config, 0, "127.0.0.1")
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield stub, server.server_address[1], server
    server.shutdown()
    server.server_close()
    stub.close()


def call(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    raw = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    connection.request(method, path, body=raw, headers={"content-type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, json.loads(payload) if payload else None


def bf16(value: float) -> float:
    """float32 -> bfloat16 by truncation, as written, and back."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0] & 0xFFFF0000
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def expected_scores(states: np.ndarray) -> tuple[float, dict]:
    """The probe computed by hand, without the proxy's code."""
    logits = []
    for i, layer in enumerate(PROBE_SPEC["layers"]):
        column = LAYERS.index(layer)
        total = 0.0
        for h in range(HIDDEN):
            pooled = sum(bf16(float(states[t][column][h])) for t in range(N_TOKENS)) / N_TOKENS
            total += PROBE_SPEC["weights"][i][h] * (pooled - PROBE_SPEC["mean"][i][h]) / PROBE_SPEC["scale"][i][h]
        logits.append(total)
    sigmoid = lambda x: 1 / (1 + math.exp(-x))
    n = len(logits)
    return (sigmoid(PROBE_SPEC["bias"] + sum(logits)),
            {str(l): sigmoid(PROBE_SPEC["bias"] + n * x) for l, x in zip(PROBE_SPEC["layers"], logits)})


def test_ping_followsTheModelServersHealth(setup):
    stub, port, _ = setup
    assert call(port, "GET", "/ping")[0] == 200
    stub.healthy = False
    assert call(port, "GET", "/ping")[0] == 503


def test_verify_scoresTheStubsHiddenStatesAsComputedIndependently(setup):
    stub, port, _ = setup
    status, body = call(port, "POST", "/invocations",
                        {"operation": "verify", "question": "What is the capital of France?", "answer": "Paris."})
    assert status == 200
    probe_score, layer_scores = expected_scores(stub.states[0])
    assert body["probe_score"] == pytest.approx(probe_score, abs=1e-9)
    assert body["layer_scores"] == pytest.approx(layer_scores, abs=1e-9)
    assert body["n_tokens"] == N_TOKENS
    assert body["supported"] == (probe_score >= 0.5)
    assert body["probe_version"] == "test-1"


def test_verify_sendsTheAnswerAsTheLastTurnAndGeneratesNothing(setup):
    stub, port, _ = setup
    call(port, "POST", "/invocations", {"operation": "verify", "question": "Q?", "answer": "A."})
    sent = stub.requests[0]
    assert sent["messages"] == [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A."}]
    assert sent["continue_final_message"] is True and sent["add_generation_prompt"] is False
    assert sent["max_tokens"] == 1 and sent["model"] == "cato-test-shadow"


def test_verify_deletesTheHiddenStateFileAndItsLock(setup):
    stub, port, _ = setup
    call(port, "POST", "/invocations", {"operation": "verify", "question": "Q?", "answer": "A."})
    assert not stub.written[0].exists()
    assert not Path(str(stub.written[0]) + ".lock").exists()


def test_generate_isTheDefaultOperationAndPassesTheCompletionThrough(setup):
    stub, port, server = setup
    status, body = call(port, "POST", "/invocations",
                        {"model": "whatever", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 16})
    assert status == 200
    assert body["choices"][0]["message"]["content"] == "Paris."
    assert body["usage"]["prompt_tokens"] == N_TOKENS
    assert "kv_transfer_params" not in body
    assert stub.requests[0]["model"] == "cato-test-shadow" and "operation" not in stub.requests[0]


def test_generate_deletesItsHiddenStateFileToo(setup):
    stub, port, server = setup
    call(port, "POST", "/invocations", {"operation": "generate", "messages": [{"role": "user", "content": "Hi"}]})
    # Deleted in the background once the writer has released its lock: wait with a deadline.
    deadline = time.monotonic() + 5
    while stub.written[0].exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not stub.written[0].exists()


def test_upstreamErrors_keepTheirStatusForTheCallersFailureTypes(setup):
    stub, port, _ = setup
    stub.status = 429
    status, body = call(port, "POST", "/invocations", {"messages": [{"role": "user", "content": "Hi"}]})
    assert status == 429 and body["error"]["message"] == "stub failure"


def test_hiddenStatesOutsideTheirDirectory_areNeitherReadNorDeleted(setup, tmp_path):
    stub, port, _ = setup
    outside = tmp_path / "elsewhere.safetensors"
    outside.write_bytes(b"keep me")
    stub.path_override = str(outside)
    status, _ = call(port, "POST", "/invocations", {"operation": "verify", "question": "Q?", "answer": "A."})
    assert status == 502
    assert outside.read_bytes() == b"keep me"


@pytest.mark.parametrize("body", [
    {"operation": "verify", "question": "Q?"},
    {"operation": "verify", "question": " ", "answer": "A."},
    {"operation": "summarise", "messages": []},
    {"messages": []},
    {"messages": [{"role": "user", "content": "Hi"}], "stream": True},
])
def test_badRequests_are400WithoutCallingTheModel(setup, body):
    stub, port, _ = setup
    status, answer = call(port, "POST", "/invocations", body)
    assert status == 400 and answer["error"]["message"]
    assert stub.requests == []


def test_malformedJson_is400(setup):
    assert call(setup[1], "POST", "/invocations", b"{not json")[0] == 400


def test_verifyWithoutAProbe_is503(setup, tmp_path):
    stub, _, _ = setup
    config = proxy.Config(upstream=stub.url, hidden_states_dir=str(tmp_path), probe_path=None)
    server = proxy.serve(config, 0, "127.0.0.1")
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        status, _ = call(server.server_address[1], "POST", "/invocations",
                         {"operation": "verify", "question": "Q?", "answer": "A."})
        assert status == 503
    finally:
        server.shutdown()
        server.server_close()


def test_probe_rejectsLayersTheServerDoesNotExtract(tmp_path):
    probe_path = tmp_path / "probe.json"
    probe_path.write_text(json.dumps({**PROBE_SPEC, "layers": [16, 30]}))
    with pytest.raises(ProbeError, match=r"\[30\]"):
        Probe.load(probe_path).score(np.zeros((3, len(LAYERS), HIDDEN), dtype=np.float32), LAYERS)


def test_probe_rejectsMisshapenParameters(tmp_path):
    probe_path = tmp_path / "probe.json"
    probe_path.write_text(json.dumps({**PROBE_SPEC, "weights": [[0.0] * HIDDEN]}))
    with pytest.raises(ProbeError):
        Probe.load(probe_path)


def test_safetensors_roundTripsBf16AndIntegers(tmp_path):
    values = np.array([[1.5, -2.25], [3.0e-3, 65504.0]], dtype=np.float32)
    safetensors_np.save({"h": values, "ids": np.array([1, 2, 3], dtype=np.int64)}, tmp_path / "x.safetensors", bf16=("h",))
    loaded = safetensors_np.load(tmp_path / "x.safetensors")
    assert loaded["ids"].tolist() == [1, 2, 3]
    assert loaded["h"].tolist() == [[bf16(v) for v in row] for row in values.tolist()]
