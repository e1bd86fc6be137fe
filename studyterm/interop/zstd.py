"""zstd decompression with a ceiling: Anki's current packages compress every member with zstd.

Python 3.14 has zstd in its standard library (compression.zstd); before that the `zstandard`
package (wheels for Linux, macOS and Windows) does it. Output is counted as it streams, so a
small member that would unpack to gigabytes (a decompression bomb) is stopped at the ceiling.
"""

from __future__ import annotations

from typing import BinaryIO

_CHUNK = 1 << 20


class ZstdError(ValueError):
    """Not zstd data, or corrupt."""


class TooLarge(Exception):
    """Decompressed output passed the ceiling."""


def _reader(source: BinaryIO) -> BinaryIO:
    try:
        from compression import zstd  # Python 3.14+
    except ImportError:
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
    return zstd.ZstdFile(source)


def _errors() -> tuple[type[BaseException], ...]:
    try:
        from compression import zstd
    except ImportError:
        import zstandard

        return (zstandard.ZstdError,)
    return (zstd.ZstdError, EOFError)


class Budget:
    """How many decompressed bytes may still be produced (shared by every member of a package)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise TooLarge(self.used)


def copy(source: BinaryIO, target: BinaryIO, budget: Budget) -> int:
    """Decompress `source` into `target`; the number of bytes written."""
    written = 0
    try:
        with _reader(source) as reader:
            while chunk := reader.read(_CHUNK):
                budget.spend(len(chunk))
                target.write(chunk)
                written += len(chunk)
    except _errors() as error:
        raise ZstdError(str(error) or type(error).__name__) from None
    return written


def decompress(data: bytes, budget: Budget) -> bytes:
    import io

    out = io.BytesIO()
    copy(io.BytesIO(data), out, budget)
    return out.getvalue()
