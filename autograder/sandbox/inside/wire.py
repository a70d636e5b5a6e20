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
MAX_DEPTH = 100  # containers nested deeper than this are refused, not recursed into
JSON_COST = 10  # bytes of the grader's memory per byte of JSON it decodes (numbers become objects)


class WireError(RuntimeError):
    pass


def encode(value, to_handle):
    """(JSON-able tree, blobs) for a value; objects that are not plain data become to_handle(obj)."""
    blobs = []

    def enc(v, depth=0):
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if depth > MAX_DEPTH:
            raise ValueError(f"cannot send data nested deeper than {MAX_DEPTH} levels")
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
            return {"__tuple__" if isinstance(v, tuple) else "__list__": [enc(x, depth + 1) for x in v]}
        if isinstance(v, dict) and all(isinstance(k, str) for k in v):
            return {"__dict__": {k: enc(x, depth + 1) for k, x in v.items()}}
        return {"__handle__": to_handle(v)}

    return enc(value), blobs


def _array(blob: bytes):
    """A numeric .npy array from blob, its header checked before anything is allocated."""
    from numpy.lib import format as npy

    stream = io.BytesIO(blob)
    try:
        version = npy.read_magic(stream)
        read_header = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}[version]
        shape, _, dtype = read_header(stream)
    except (ValueError, KeyError, EOFError) as err:
        raise WireError(f"not an array ({type(err).__name__})") from None
    if dtype.kind not in "biufc" or dtype.hasobject:
        raise WireError(f"not an array of numbers ({dtype})")
    if int(np.prod(shape, dtype=object)) * dtype.itemsize != len(blob) - stream.tell():
        raise WireError("array data does not match its header")
    return np.load(io.BytesIO(blob), allow_pickle=False)


def _blob(blobs, index):
    if type(index) is not int or not 0 <= index < len(blobs):
        raise WireError(f"no data block {index!r}")
    return blobs[index]


def decode(tree, blobs, from_handle):
    """The value encode() described; handles become from_handle(id). WireError for anything
    else: unknown tags, wrong types, missing blobs, nesting deeper than MAX_DEPTH (never a
    RecursionError: the submission chooses the depth)."""

    def items(body, kind):
        if type(body) is not kind:
            raise WireError(f"expected a {kind.__name__}")
        return body

    def dec(t, depth):
        if t is None or type(t) in (bool, int, float, str):
            return t
        if depth > MAX_DEPTH:
            raise WireError(f"value nested deeper than {MAX_DEPTH} levels")
        if type(t) is not dict or len(t) != 1:
            raise WireError("malformed value")
        (tag, body), = t.items()
        if tag == "__ndarray__":
            return _array(_blob(blobs, body))
        if tag == "__bytes__":
            return bytes(_blob(blobs, body))
        if tag == "__complex__":
            parts = items(body, list)
            if len(parts) != 2 or any(type(x) is not float for x in parts):
                raise WireError("malformed complex number")
            return complex(*parts)
        if tag == "__list__":
            return [dec(x, depth + 1) for x in items(body, list)]
        if tag == "__tuple__":
            return tuple(dec(x, depth + 1) for x in items(body, list))
        if tag == "__dict__":
            return {k: dec(x, depth + 1) for k, x in items(body, dict).items()}
        if tag == "__handle__" and type(body) is int:
            return from_handle(body)
        raise WireError(f"unknown value tag {tag[:40]!r}")

    return dec(tree, 0)


class TooLarge(WireError):
    pass


def check_file_name(name: str) -> str:
    """name, if it is a relative path that stays in the folder it is written to (data/img.png)."""
    if type(name) is not str or "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"not a safe file name for the submission's folder: {name!r}")
    return name


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


def read_message(stream, limit: int = MAX_MESSAGE, json_cost: int = 1):
    """(header dict, list of blobs, what it costs: JSON bytes times json_cost plus blob bytes);
    TooLarge before reading past limit, WireError when the message is malformed."""
    head_len, n_blobs = struct.unpack(">II", _read_exact(stream, 8))
    cost = head_len * json_cost
    if cost > limit or n_blobs > 100_000:
        raise TooLarge("message too large")
    try:
        header = json.loads(_read_exact(stream, head_len))
    except (ValueError, RecursionError) as err:  # not JSON, or nested too deeply for the parser
        raise WireError(f"malformed message ({type(err).__name__})") from None
    blobs = []
    for _ in range(n_blobs):
        (size,) = struct.unpack(">Q", _read_exact(stream, 8))
        cost += size
        if cost > limit:
            raise TooLarge("message too large")
        blobs.append(_read_exact(stream, size))
    if type(header) is not dict:
        raise WireError("malformed message")
    return header, blobs, cost
