"""The W3C Bitstring Status List's bitstring (pure Python): bit i is 1 when
the credential with statusListIndex i no longer counts. Index 0 is the
left-most bit of the first byte; the list is GZIP-compressed and written as
multibase base64url without padding ("u" prefix), as the specification says."""

import base64
import gzip
from collections.abc import Iterable

# The specification's minimum (16 KB): below it a list would tell which of a
# few credentials a verifier asks about.
MIN_BITS = 131_072


class StatusListError(ValueError):
    """An index that does not fit the list."""


def list_bits(highest_index: int) -> int:
    """The list's length: the minimum, or whole multiples of it."""
    return (max(highest_index, 0) // MIN_BITS + 1) * MIN_BITS


def encoded_list(indexes: Iterable[int], *, bits: int) -> str:
    data = bytearray(bits // 8)
    for index in indexes:
        if not 0 <= index < bits:
            raise StatusListError(f"index {index} outside a list of {bits} bits")
        data[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same text.
    packed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
