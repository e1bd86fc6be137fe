"""A small reader for protobuf's wire format: the few Anki messages an import needs.

Anki's current packages keep their metadata, media list, note type and template settings as
protobuf messages. Only a handful of fields are read (docs/export.md names them), so a reader
of the wire format (varints, length-delimited bytes, fixed 32/64-bit values) is all it takes;
no schema, no generated code. Anything malformed (a truncated value, a varint over 10 bytes, a
deprecated group, a field number 0) raises WireError; no input makes it loop or allocate
beyond the message's own size.
"""

from __future__ import annotations

from collections import defaultdict

VARINT, FIXED64, LENGTH, START_GROUP, END_GROUP, FIXED32 = 0, 1, 2, 3, 4, 5
_MAX_VARINT_BYTES = 10


class WireError(ValueError):
    """Bytes that are not a protobuf message."""


Message = dict[int, list]
"""Field number -> its values in order: int for varint and fixed fields, bytes for the rest."""


def read_varint(data: bytes, position: int) -> tuple[int, int]:
    """(value, position after it)."""
    value = 0
    for count in range(_MAX_VARINT_BYTES):
        if position >= len(data):
            raise WireError("truncated varint")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << (7 * count)
        if not byte & 0x80:
            return value, position
    raise WireError("varint longer than 10 bytes")


def parse(data: bytes) -> Message:
    """Every field of one message (not its nested messages: call parse on those bytes)."""
    fields: Message = defaultdict(list)
    position = 0
    while position < len(data):
        key, position = read_varint(data, position)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise WireError("field number 0")
        if wire == VARINT:
            value, position = read_varint(data, position)
        elif wire == LENGTH:
            size, position = read_varint(data, position)
            if size > len(data) - position:
                raise WireError("length past the end of the message")
            value, position = data[position : position + size], position + size
        elif wire in (FIXED64, FIXED32):
            width = 8 if wire == FIXED64 else 4
            if width > len(data) - position:
                raise WireError("truncated fixed-width value")
            value = int.from_bytes(data[position : position + width], "little")
            position += width
        else:
            raise WireError(f"unsupported wire type {wire}")
        fields[number].append(value)
    return dict(fields)


def integer(message: Message, number: int, default: int = 0) -> int:
    """The last value of a varint field (protobuf's rule for a repeated scalar read once)."""
    values = [v for v in message.get(number, ()) if isinstance(v, int)]
    return values[-1] if values else default


def text(message: Message, number: int, default: str = "") -> str:
    """The last value of a string field, decoded as UTF-8 (invalid bytes replaced)."""
    values = [v for v in message.get(number, ()) if isinstance(v, bytes)]
    return values[-1].decode("utf-8", "replace") if values else default


def blobs(message: Message, number: int) -> list[bytes]:
    """Every value of a length-delimited field (a repeated message or bytes field)."""
    return [v for v in message.get(number, ()) if isinstance(v, bytes)]
