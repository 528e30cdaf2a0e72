"""Logit order per NLI checkpoint. MNLI fine-tunes disagree on it (Microsoft's DeBERTa puts
contradiction first and entailment last; the cross-encoder checkpoints put entailment second), so
reading logits by position without this table silently swaps entailment and contradiction."""

from __future__ import annotations

import json
import math
from pathlib import Path

LABELS = ("entailment", "neutral", "contradiction")
_HERE = Path(__file__).resolve().parent
# In model.tar.gz endpoint.json sits next to this file (code/); in the repository, one level up.
_TABLE = next((p for p in (_HERE / "endpoint.json", _HERE.parent / "endpoint.json") if p.exists()),
              _HERE / "endpoint.json")


def label_order(checkpoint: str, table: Path = _TABLE) -> list[str]:
    checkpoints = json.loads(table.read_text())["checkpoints"]
    if checkpoint not in checkpoints:
        raise ValueError(f"no label order is known for {checkpoint!r}; add it to endpoint.json")
    order = [label.lower() for label in checkpoints[checkpoint]]
    if sorted(order) != sorted(LABELS):
        raise ValueError(f"{checkpoint}: label order must name {LABELS} once each, got {order}")
    return order


def check_config(order: list[str], id2label: dict) -> None:
    """Refuses a checkpoint whose own config names its labels differently from the table."""
    names = [str(id2label[i]).lower() for i in sorted(id2label, key=int)]
    if all(name.startswith("label_") for name in names):
        return  # the config does not name them: the table is the only source
    if names != order:
        raise ValueError(f"the checkpoint's config orders labels {names}, the table says {order}")


def scores(logits: list[float], order: list[str]) -> dict:
    top = max(logits)
    exps = [math.exp(x - top) for x in logits]
    total = sum(exps)
    by_label = {label: exps[i] / total for i, label in enumerate(order)}
    return {**{label: by_label[label] for label in LABELS}, "label": max(by_label, key=by_label.get)}
