"""Plain data across the sandbox boundary: JSON for scalars and containers, .npy for arrays.

Decoding never unpickles: NumPy arrays load with allow_pickle=False, so a submission can
send only numbers, strings, containers and numeric arrays, or opaque handles to its objects.
The sandboxed runner imports this file beside it, so it uses only the standard library and NumPy.
"""
import io
import json
import struct

import numpy as np

MAX_MESSAGE = 512 * 2**20  # bytes; a larger reply is refused, not read


class WireError(RuntimeError):
    pass


def encode(value, to_handle):
    """(JSON-able tree, blobs) for a value; objects that are not plain data become to_handle(obj)."""
    blobs = []

    def enc(v):
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, np.generic) and v.dtype.kind in "biufc":
            return enc(v.item())
        if isinstance(v, np.ndarray) and v.dtype.kind in "biufc":
            buf = io.BytesIO()
            np.save(buf, v, allow_pickle=False)  # keeps 0-d arrays 0-d
            blobs.append(buf.getvalue())
            return {"__ndarray__": len(blobs) - 1}
        if isinstance(v, bytes):
            blobs.append(v)
            return {"__bytes__": len(blobs) - 1}
        if isinstance(v, complex):
            return {"__complex__": [v.real, v.imag]}
        if isinstance(v, (list, tuple)):
            return {"__tuple__" if isinstance(v, tuple) else "__list__": [enc(x) for x in v]}
        if isinstance(v, dict) and all(isinstance(k, str) for k in v):
            return {"__dict__": {k: enc(x) for k, x in v.items()}}
        return {"__handle__": to_handle(v)}

    return enc(value), blobs


def decode(tree, blobs, from_handle):
    """The value encode() described; handles become from_handle(id)."""

    def dec(t):
        if not isinstance(t, dict):
            return t
        if "__ndarray__" in t:
            return np.load(io.BytesIO(blobs[int(t["__ndarray__"])]), allow_pickle=False)
        if "__bytes__" in t:
            return bytes(blobs[int(t["__bytes__"])])
        if "__complex__" in t:
            return complex(*t["__complex__"])
        if "__list__" in t:
            return [dec(x) for x in t["__list__"]]
        if "__tuple__" in t:
            return tuple(dec(x) for x in t["__tuple__"])
        if "__dict__" in t:
            return {str(k): dec(x) for k, x in t["__dict__"].items()}
        if "__handle__" in t:
            return from_handle(int(t["__handle__"]))
        raise WireError(f"unknown value tag {sorted(t)}")

    return dec(tree)


def write_message(stream, header: dict, blobs=()) -> None:
    head = json.dumps(header).encode()
    stream.write(struct.pack(">II", len(head), len(blobs)) + head)
    for blob in blobs:
        stream.write(struct.pack(">Q", len(blob)) + blob)
    stream.flush()


def _read_exact(stream, n: int) -> bytes:
    data = bytearray()
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise EOFError("the other side closed the channel")
        data += chunk
    return bytes(data)


def read_message(stream, limit: int = MAX_MESSAGE):
    """(header dict, list of blobs); WireError when the message is malformed or too large."""
    head_len, n_blobs = struct.unpack(">II", _read_exact(stream, 8))
    if head_len > limit or n_blobs > 100_000:
        raise WireError("message too large")
    header = json.loads(_read_exact(stream, head_len))
    blobs, total = [], head_len
    for _ in range(n_blobs):
        (size,) = struct.unpack(">Q", _read_exact(stream, 8))
        total += size
        if total > limit:
            raise WireError(f"reply larger than {limit // 2**20} MB")
        blobs.append(_read_exact(stream, size))
    if not isinstance(header, dict):
        raise WireError("malformed message")
    return header, blobs
