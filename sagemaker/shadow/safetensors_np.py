"""Reads and writes safetensors files with numpy alone (the format: an 8-byte little-endian header
length, a JSON header of {name: {dtype, shape, data_offsets}}, then the raw tensor bytes)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

_NUMPY = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32,
          "I16": np.int16, "I8": np.int8, "U8": np.uint8}
_MAX_HEADER = 100 * 1024 * 1024


def _bf16_to_f32(raw: bytes) -> np.ndarray:
    return (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)


def load(path: str | Path) -> dict[str, np.ndarray]:
    data = Path(path).read_bytes()
    if len(data) < 8:
        raise ValueError(f"{path}: not a safetensors file")
    (size,) = struct.unpack("<Q", data[:8])
    if size > _MAX_HEADER or 8 + size > len(data):
        raise ValueError(f"{path}: bad safetensors header length {size}")
    header = json.loads(data[8:8 + size])
    body = memoryview(data)[8 + size:]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        raw = bytes(body[start:end])
        dtype = spec["dtype"]
        if dtype == "BF16":
            array = _bf16_to_f32(raw)
        elif dtype in _NUMPY:
            array = np.frombuffer(raw, dtype=np.dtype(_NUMPY[dtype]).newbyteorder("<"))
        else:
            raise ValueError(f"{path}: unsupported dtype {dtype} for {name}")
        tensors[name] = array.reshape(spec["shape"])
    return tensors


def save(tensors: dict[str, np.ndarray], path: str | Path, bf16: tuple[str, ...] = ()) -> None:
    """Writes tensors; those named in bf16 are stored as bfloat16 (truncated float32), as vLLM does."""
    header, chunks, offset = {}, [], 0
    for name, array in tensors.items():
        if name in bf16:
            raw = (np.ascontiguousarray(array, dtype=np.float32).view(np.uint32) >> 16).astype("<u2").tobytes()
            dtype = "BF16"
        else:
            dtype = next(k for k, v in _NUMPY.items() if np.dtype(v) == array.dtype)
            raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))
