"""The pieces that read Anki's current format: the protobuf wire reader, bounded zstd, and a
package whose zstd members are corrupt or unpack far past the limit."""

from __future__ import annotations

import io
import zipfile

import pytest

from studyterm.interop import protobuf, zstd
from tests.interop.test_bad_input import refused


def test_the_protobuf_reader_reads_what_anki_writes():
    # PackageMetadata{version: 3}; MediaEntries{entries: [{name: "pic.png", size: 8, sha1: 20 bytes}]}
    assert protobuf.integer(protobuf.parse(b"\x08\x03"), 1) == 3
    entry = b"\x0a\x07pic.png\x10\x08\x1a\x14" + bytes(range(20))
    listing = protobuf.parse(b"\x0a" + bytes([len(entry)]) + entry)
    (raw,) = protobuf.blobs(listing, 1)
    parsed = protobuf.parse(raw)
    assert (protobuf.text(parsed, 1), protobuf.integer(parsed, 2), parsed[3][0]) == ("pic.png", 8, bytes(range(20)))
    assert protobuf.parse(b"\x0d\x01\x00\x00\x00\x11" + b"\x02" + b"\x00" * 7) == {1: [1], 2: [2]}


@pytest.mark.parametrize(("data", "why"), [
    (b"\x08", "truncated varint"),
    (b"\x08" + b"\xff" * 11, "varint longer than 10 bytes"),
    (b"\x0a\x05ab", "length past the end of the message"),
    (b"\x0b", "unsupported wire type 3"),
    (b"\x00\x01", "field number 0"),
    (b"\x0d\x01", "truncated fixed-width value"),
])
def test_malformed_protobuf_is_refused(data, why):
    with pytest.raises(protobuf.WireError, match=why):
        protobuf.parse(data)


def compress(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


def test_zstd_stops_at_its_ceiling():
    pytest.importorskip("zstandard")
    bomb = compress(b"\x00" * 5_000_000)
    assert len(bomb) < 1_000
    with pytest.raises(zstd.TooLarge):
        zstd.copy(io.BytesIO(bomb), io.BytesIO(), zstd.Budget(1_000_000))
    assert zstd.decompress(bomb, zstd.Budget(5_000_000)) == b"\x00" * 5_000_000
    with pytest.raises(zstd.ZstdError):
        zstd.decompress(b"not zstd at all", zstd.Budget(100))


def test_a_current_format_package_that_unpacks_far_beyond_the_limit_is_refused(other, tmp_path):
    pytest.importorskip("zstandard")
    bomb = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("meta", b"\x08\x03")
        archive.writestr("collection.anki21b", compress(b"\x00" * 9_000_000))
        archive.writestr("media", compress(b""))
    assert "unpacks to more than" in refused(other, bomb, max_bytes=1_000_000)
