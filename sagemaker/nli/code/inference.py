"""Handler for the Hugging Face inference toolkit (SAGEMAKER_PROGRAM=inference.py): premise /
hypothesis pairs in, entailment / neutral / contradiction probabilities out, in one label order
whatever the checkpoint's."""

import json
import os

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

import labels

MAX_PAIRS = 64


def model_fn(model_dir, context=None):
    checkpoint = os.environ["CATO_NLI_CHECKPOINT"]
    order = labels.label_order(checkpoint)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    labels.check_config(order, model.config.id2label)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    return {"tokenizer": tokenizer, "model": model.to(device), "order": order, "device": device,
            "checkpoint": checkpoint}


def input_fn(body, content_type, context=None):
    if content_type != "application/json":
        raise ValueError("application/json only")
    pairs = json.loads(body).get("pairs")
    if not isinstance(pairs, list) or not 0 < len(pairs) <= MAX_PAIRS:
        raise ValueError(f"'pairs' must hold 1 to {MAX_PAIRS} premise/hypothesis pairs")
    return pairs


def predict_fn(pairs, loaded, context=None):
    batch = loaded["tokenizer"]([p["premise"] for p in pairs], [p["hypothesis"] for p in pairs],
                                padding=True, truncation=True, max_length=512, return_tensors="pt")
    with torch.inference_mode():
        logits = loaded["model"](**batch.to(loaded["device"])).logits.float().cpu().tolist()
    return {"scores": [labels.scores(row, loaded["order"]) for row in logits], "checkpoint": loaded["checkpoint"]}


def output_fn(prediction, accept, context=None):
    return json.dumps(prediction), "application/json"
