"""The Shadow Self's linear probe over hidden states: is the candidate answer one the model itself
holds to be true?

For each probed layer l, the question-plus-answer tokens' hidden states are pooled (mean over
tokens, or the last token) into x_l, standardised as z_l = (x_l - mean_l) / scale_l, and scored
s_l = w_l . z_l. probe_score = sigmoid(bias + sum_l s_l); layer_scores[l] = sigmoid(bias + s_l *
n_layers), each layer's own verdict on the same scale. Parameters are a versioned JSON file
(see probe/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class ProbeError(ValueError):
    """The probe file or the hidden states do not fit together."""


@dataclass(frozen=True)
class Probe:
    version: str
    layers: tuple[int, ...]
    pooling: str
    mean: np.ndarray      # [n_layers, hidden]
    scale: np.ndarray     # [n_layers, hidden]
    weights: np.ndarray   # [n_layers, hidden]
    bias: float
    threshold: float

    @staticmethod
    def load(path: str | Path) -> "Probe":
        spec = json.loads(Path(path).read_text())
        try:
            probe = Probe(str(spec["version"]), tuple(int(l) for l in spec["layers"]), spec.get("pooling", "mean"),
                          np.asarray(spec["mean"], dtype=np.float64), np.asarray(spec["scale"], dtype=np.float64),
                          np.asarray(spec["weights"], dtype=np.float64), float(spec["bias"]), float(spec["threshold"]))
        except (KeyError, TypeError, ValueError) as e:
            raise ProbeError(f"{path}: {e}") from e
        shape = (len(probe.layers), probe.weights.shape[-1] if probe.weights.ndim == 2 else -1)
        if probe.weights.ndim != 2 or any(a.shape != shape for a in (probe.mean, probe.scale, probe.weights)):
            raise ProbeError(f"{path}: mean, scale and weights must all be [{len(probe.layers)}, hidden]")
        if probe.pooling not in ("mean", "last"):
            raise ProbeError(f"{path}: pooling must be 'mean' or 'last'")
        if np.any(probe.scale <= 0):
            raise ProbeError(f"{path}: scale must be positive")
        return probe

    def score(self, hidden_states: np.ndarray, extracted_layers: tuple[int, ...]) -> dict:
        """hidden_states: [n_tokens, n_extracted_layers, hidden] as the vLLM connector writes them."""
        if hidden_states.ndim != 3 or hidden_states.shape[1] != len(extracted_layers):
            raise ProbeError(f"hidden states of shape {hidden_states.shape} do not match layers {extracted_layers}")
        if hidden_states.shape[0] == 0:
            raise ProbeError("no tokens")
        missing = [l for l in self.layers if l not in extracted_layers]
        if missing:
            raise ProbeError(f"layers {missing} are not extracted by the server ({extracted_layers})")
        if hidden_states.shape[2] != self.weights.shape[1]:
            raise ProbeError(f"hidden size {hidden_states.shape[2]} != probe's {self.weights.shape[1]}")
        states = hidden_states[:, [extracted_layers.index(l) for l in self.layers], :].astype(np.float64)
        pooled = states.mean(axis=0) if self.pooling == "mean" else states[-1]
        contributions = np.sum(self.weights * (pooled - self.mean) / self.scale, axis=1)
        n = len(self.layers)
        probe_score = _sigmoid(self.bias + contributions.sum())
        return {
            "probe_score": probe_score,
            "layer_scores": {str(l): _sigmoid(self.bias + c * n) for l, c in zip(self.layers, contributions)},
            "n_tokens": int(hidden_states.shape[0]),
            "supported": probe_score >= self.threshold,
            "threshold": self.threshold,
            "probe_version": self.version,
        }


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))
