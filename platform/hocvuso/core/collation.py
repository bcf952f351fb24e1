"""Vietnamese alphabetical order, the one place it is defined.

Code-point order puts "Đặc khu Lý Sơn" after "Y" and "Ă" after "Z". In the
Vietnamese alphabet đ follows d, ă and â follow a, and so on; tone marks only
break ties. Python sorts with `vietnamese_sort_key`; SQL orders with
`vietnamese_order_sql`: PostgreSQL's ICU collation "vi-x-icu" where the
server has it, and on SQLite a collation registered from the same key
(`sqlite_collation_register`, on every new connection)."""

from __future__ import annotations

import unicodedata
from functools import cache

# Tone marks, in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Latin letters with the Vietnamese ones where the alphabet puts them.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: 100 + i for i, letter in enumerate(_LETTERS)}
SQLITE_COLLATION = "vi"


def _char_rank(char: str) -> int:
    if char.isspace():
        return 0
    if char.isdigit():
        return 10 + int(char) if char.isascii() else 50
    return _RANK.get(char, 1000 + ord(char))


def vietnamese_sort_key(value: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Letters first (in the Vietnamese alphabet, ignoring case and tones),
    then the tones, so "Đặng" sorts after every "D…" and before "E"."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", value.casefold()):
        tone = _TONES.get(char)
        if tone is not None:
            if tones:
                tones[-1] = tone
            continue
        if unicodedata.combining(char) and letters:
            # breve, circumflex, horn: part of the letter (a + ˘ = ă)
            composed = unicodedata.normalize("NFC", letters[-1] + char)
            if len(composed) == 1:
                letters[-1] = composed
                continue
        letters.append(char)
        tones.append(0)
    return tuple(_char_rank(c) for c in letters), tuple(tones)


def _sqlite_compare(a: str, b: str) -> int:
    ka, kb = vietnamese_sort_key(a), vietnamese_sort_key(b)
    return (ka > kb) - (ka < kb)


def sqlite_collation_register(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite learns the "vi" collation and
    `vi_lower`, the project's search folding (its lower() is ASCII-only)."""
    if connection.vendor == "sqlite":
        from .text import search_folded

        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_compare)
        connection.connection.create_function(
            "vi_lower",
            1,
            lambda v: None if v is None else search_folded(v),
            deterministic=True,
        )


def lower_sql(column: str, connection) -> str:
    """`column` folded as `text.search_folded` folds the searched text."""
    if connection.vendor == "sqlite":
        return f"vi_lower({column})"
    return f"LOWER({column})"


@cache
def _postgres_has_icu_vi(alias: str) -> bool:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        return cursor.fetchone() is not None


def vietnamese_order_sql(column: str, connection) -> str:
    """`column` with the Vietnamese collation, for an ORDER BY; the column
    unchanged where the database has none (a PostgreSQL built without ICU)."""
    if connection.vendor == "sqlite":
        return f"{column} COLLATE {SQLITE_COLLATION}"
    if connection.vendor == "postgresql" and _postgres_has_icu_vi(connection.alias):
        return f'{column} COLLATE "vi-x-icu"'
    return column
