import json
import math
import shutil
import sys
from pathlib import Path

import pytest

NLI = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(NLI / "code"))
import labels  # noqa: E402

TABLE = NLI / "endpoint.json"


def test_everyCheckpoint_namesEachLabelOnce():
    for checkpoint in json.loads(TABLE.read_text())["checkpoints"]:
        assert sorted(labels.label_order(checkpoint, TABLE)) == sorted(labels.LABELS)


def test_microsoftAndCrossEncoderOrders_readTheSameLogitsDifferently():
    logits = [4.0, 0.0, -4.0]
    assert labels.scores(logits, labels.label_order("microsoft/deberta-large-mnli", TABLE))["label"] == "contradiction"
    assert labels.scores(logits, labels.label_order("cross-encoder/nli-deberta-v3-base", TABLE))["label"] == "contradiction"
    assert labels.scores([0.0, 4.0, -4.0], labels.label_order("cross-encoder/nli-deberta-v3-base", TABLE))["label"] == "entailment"
    assert labels.scores([0.0, 4.0, -4.0], labels.label_order("microsoft/deberta-large-mnli", TABLE))["label"] == "neutral"


def test_scores_areASoftmaxKeyedByLabel():
    result = labels.scores([1.0, 2.0, 3.0], ["contradiction", "neutral", "entailment"])
    total = math.exp(1) + math.exp(2) + math.exp(3)
    assert result["entailment"] == pytest.approx(math.exp(3) / total)
    assert result["contradiction"] == pytest.approx(math.exp(1) / total)
    assert result["label"] == "entailment"


def test_unknownCheckpoint_isRefused():
    with pytest.raises(ValueError, match="no label order"):
        labels.label_order("someone/bert-mnli", TABLE)


def test_configDisagreeingWithTheTable_isRefused():
    order = labels.label_order("microsoft/deberta-large-mnli", TABLE)
    labels.check_config(order, {0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"})
    labels.check_config(order, {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"})
    with pytest.raises(ValueError):
        labels.check_config(order, {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"})


def test_theTemplatesDefaultCheckpoint_hasAnOrder():
    template = (NLI.parents[1] / "template.yaml").read_text()
    default = template.split("  NliCheckpoint:")[1].split("Default:")[1].split("\n")[0].strip()
    assert labels.label_order(default, TABLE)
