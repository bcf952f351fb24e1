"""The status list's bitstring (pure), read back with the standard library:
the bit order, encoding and size the W3C specification fixes."""

import base64
import gzip

import pytest

from certificates.status_list import (
    MIN_BITS,
    StatusListError,
    encoded_list,
    list_bits,
)


def _bits(encoded: str) -> bytes:
    assert encoded.startswith("u") and "=" not in encoded  # multibase base64url
    return gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=="))


def test_index_zero_is_the_left_most_bit_of_the_first_byte():
    data = _bits(encoded_list([0, 9, MIN_BITS - 1], bits=MIN_BITS))
    assert len(data) == MIN_BITS // 8
    assert data[0] == 0b1000_0000 and data[1] == 0b0100_0000 and data[-1] == 1
    assert sum(bin(byte).count("1") for byte in data) == 3


def test_the_list_is_never_shorter_than_the_minimum_and_grows_in_blocks():
    assert list_bits(0) == list_bits(MIN_BITS - 1) == MIN_BITS
    assert list_bits(MIN_BITS) == 2 * MIN_BITS
    assert len(_bits(encoded_list([], bits=list_bits(0)))) == MIN_BITS // 8


def test_the_same_bits_give_the_same_text():
    assert encoded_list([3, 5], bits=MIN_BITS) == encoded_list([5, 3], bits=MIN_BITS)


@pytest.mark.parametrize("index", [-1, MIN_BITS])
def test_an_index_outside_the_list_is_refused(index):
    with pytest.raises(StatusListError):
        encoded_list([index], bits=MIN_BITS)
