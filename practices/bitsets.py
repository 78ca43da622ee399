"""Sets of practice ids as Python ``int`` bitsets: bit ``n`` stands for the practice with id
``n``."""

import struct
import sys
from array import array

_BITS_OF_BYTE = [1 << n for n in range(8)]


def bitset(ids):
    """The bitset of the given practice ids."""
    ids = list(ids)
    if not ids:
        return 0
    data = bytearray(max(ids) // 8 + 1)
    for practice_id in ids:
        data[practice_id >> 3] |= _BITS_OF_BYTE[practice_id & 7]
    return int.from_bytes(data, "little")


def bitset_from_words(numbered_words, *, word_bits):
    """The bitset of ``(number, word)`` pairs, where bit ``n`` of word number ``k`` stands for the
    practice with id ``k * word_bits + n``: how the database sends a set of ids in few rows."""
    numbered_words = list(numbered_words)
    if not numbered_words:
        return 0
    size = word_bits // 8
    word_format = {32: "<I", 64: "<Q"}[word_bits]
    unsigned = (1 << word_bits) - 1  # the database's 64-bit words are signed
    packed = bytearray(size * (max(numbered_words)[0] + 1))  # numbers are unique
    for number, word in numbered_words:
        struct.pack_into(word_format, packed, size * number, word & unsigned)
    return int.from_bytes(packed, "little")


def bitset_from_binary_pairs(data):
    """The bitset of a binary string from the database of big-endian 64-bit (number, word)
    pairs, as ``bitset_from_words`` reads them: each word goes into its place in an array, which
    for ten thousand pairs is a tenth of the time of packing them one by one."""
    numbers = big_endian_array("q", data)
    if not numbers:
        return 0
    places, words = numbers[0::2], numbers[1::2]
    packed = array("q", bytes(8 * (max(places) + 1)))
    for place, word in zip(places, words, strict=True):
        packed[place] = word
    if sys.byteorder != "little":
        packed.byteswap()
    return int.from_bytes(packed.tobytes(), "little")


def first_in_order(order, bits, *, offset, limit):
    """The ids of ``order`` whose bit is set in ``bits``, skipping ``offset``, at most ``limit``."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    size = len(data)
    found = []
    for practice_id in order:
        position = practice_id >> 3
        if position < size and data[position] >> (practice_id & 7) & 1:
            if offset:
                offset -= 1
                continue
            found.append(practice_id)
            if len(found) == limit:
                break
    return found


def big_endian_array(typecode, data):
    """The numbers of a binary string from the database, in this machine's byte order."""
    numbers = array(typecode, bytes(data or b""))
    if sys.byteorder == "little":
        numbers.byteswap()
    return numbers


def ids_of(bits):
    """The ids whose bit is set in ``bits``, ascending."""
    data = bits.to_bytes((bits.bit_length() + 63) // 64 * 8, "little")
    words = array("Q", data)
    if sys.byteorder != "little":
        words.byteswap()
    ids = []
    for number, word in enumerate(words):
        while word:
            low = word & -word
            ids.append(64 * number + low.bit_length() - 1)
            word ^= low
    return ids


def in_order(bits, *, order, position, offset, limit):
    """The ids of ``bits`` in the order of ``order`` (``position`` maps an id to its place in
    it), skipping ``offset``, at most ``limit``.

    A few ids are taken out of the bitset and sorted; for many, walking ``order`` until the page
    is full is quicker.
    """
    count = bits.bit_count()
    if count * 32 < len(order):
        return sorted(ids_of(bits), key=position.__getitem__)[offset : offset + limit]
    return first_in_order(order, bits, offset=offset, limit=limit)
