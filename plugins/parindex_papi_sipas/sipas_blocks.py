"""Tallying a block of SIPAS answer lines at once, with numpy.

:func:`parindex.api.utf8_blocks` gives an answer file's text a block of whole lines at a time
(64 KiB, decoded, checked and in NFC). :meth:`BlockTally.count` splits the block's bytes into
cells, maps every item and answer cell to its position and level through a sorted look-up table,
and adds the block to per-unit counters with one ``np.bincount``: no Python object per answer
(only per run of lines of one respondent, for the block's time), and memory that holds counters,
not rows.

A block it cannot take whole is left untouched for the line reader, which counts it or raises the
located error it always did: a quote, a lone carriage return, a space at the edge of a cell (the
line reader strips cells), a blank or short line, lines of different widths, an unknown item, an
answer that is not a level, an empty respondent or unit, an item answered twice, or (in ordered
mode, :mod:`.sipas_counters`) a respondent out of order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parindex_papi_sipas.sipas_counters import BlockCounts, UnitTally, comes_after

__all__ = ["SPACES", "BlockTally", "LookUp"]

#: Every character ``str.strip()`` removes, but the line feed.
SPACES = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_EDGE_SPACE = re.compile(r"(?:^|,)[^\S\n]|[^\S\n](?:,|$)", re.MULTILINE)

#: Cells are copied into a table as wide as the widest one; when that is more than this many bytes
#: per byte of the block (one long cell among short ones), the line reader takes the block.
_SPREAD = 4

#: How many different masks of answered items are kept to be shared between respondents.
_SHARED_MASKS = 256

_COMMA, _LINE_FEED = ord(","), ord("\n")
#: ``_LOW[n]`` keeps the first ``n`` bytes of a little-endian word of 8.
_LOW = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)

Words = NDArray[np.uint64]  # (lines, words): each line's cell, 8 bytes a word, padded with NUL


def _words(
    data: NDArray[np.uint8], start: NDArray[np.intp], size: NDArray[np.intp], n: int
) -> Words:
    """The cells ``data[start:start + size]`` as ``n`` words each (``data`` has ``8 n`` bytes of
    padding at its end). No cell holds a NUL (the line reader refuses control characters), so
    padded cells are equal exactly when the cells are."""
    # every window of 8 n bytes of ``data``, without a copy; indexing by ``start`` copies the
    # cells' windows, one row per line
    windows = np.ndarray((len(data) - 8 * n + 1, 8 * n), np.uint8, data, strides=(1, 1))
    table = windows[start]
    words: Words = table.view("<u8")
    for w in range(n):
        words[:, w] &= _LOW[np.clip(size - 8 * w, 0, 8)]
    return words


class LookUp:
    """Cells → numbers, through a sorted table of the texts a cell may hold."""

    def __init__(self, texts: Sequence[str], values: Sequence[int]) -> None:
        encoded = [text.encode("utf-8") for text in texts]
        self.width = max(map(len, encoded))
        self.words = max(1, -(-self.width // 8))
        table = np.zeros((len(encoded), 8 * self.words), dtype=np.uint8)
        for row, text in zip(table, encoded, strict=True):
            row[: len(text)] = np.frombuffer(text, dtype=np.uint8)
        keys = self._keys(table.view("<u8"))
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.values = np.asarray(values, dtype=np.int64)[order]

    def _keys(self, words: Words) -> NDArray[Any]:
        if self.words == 1:
            return words[:, 0]
        return np.ascontiguousarray(words).view(f"S{8 * self.words}")[:, 0]

    def find(self, words: Words) -> NDArray[np.int64] | None:
        """The number of each cell (``self.words`` words a cell), or None when a cell holds none
        of the texts."""
        keys = self._keys(words)
        at = np.searchsorted(self.keys, keys)
        np.minimum(at, len(self.keys) - 1, out=at)
        if not bool((self.keys[at] == keys).all()):
            return None
        return self.values[at]


class BlockTally:
    """Counts blocks of answer lines into :class:`BlockCounts`, and the respondents' items into
    the units' :class:`UnitTally`, in exact mode (``exact``) or ordered mode."""

    def __init__(
        self,
        codes: Sequence[str],
        levels: int,
        columns: tuple[int, int, int, int],
        counts: BlockCounts,
        *,
        exact: bool,
    ) -> None:
        self.items = LookUp(codes, range(len(codes)))
        self.answers = LookUp(["", *map(str, range(1, levels + 1))], range(levels + 1))
        self.size = levels + 1
        self.columns = columns  # respondent, unit, item, answer
        self.width = max(columns) + 1
        self.counts = counts
        self.masks: dict[int, int] = {}
        self.exact = exact

    def count(
        self, text: str, units: MutableMapping[str, UnitTally], new: Callable[[], UnitTally]
    ) -> int | None:
        """Add the whole lines ``text`` to the counters and say how many there were; or None,
        with nothing added, when the line reader must read them."""
        if '"' in text:
            return None
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                return None
            text = text.replace("\r\n", "\n")
        if any(space in text for space in SPACES) and _EDGE_SPACE.search(text):
            return None
        raw = text.encode("utf-8")
        if not raw.endswith(b"\n"):
            raw += b"\n"
        lines = raw.count(b"\n")
        data = np.frombuffer(raw, dtype=np.uint8)
        ends = np.flatnonzero((data == _COMMA) | (data == _LINE_FEED))
        fields, extra = divmod(len(ends), lines)
        if extra or fields < self.width:
            return None
        grid = ends.reshape(lines, fields)
        if not bool((data[grid[:, -1]] == _LINE_FEED).all()):
            return None
        ends = grid[:, : self.width]
        starts = np.empty_like(ends)
        starts[0, 0] = 0
        starts[1:, 0] = grid[:-1, -1] + 1
        starts[:, 1:] = ends[:, :-1] + 1
        size = ends - starts
        widest = int(size.max())
        if widest * lines > _SPREAD * len(raw):
            return None
        r, u, i, a = self.columns
        if not (bool(size[:, r].all()) and bool(size[:, u].all())):
            return None  # an empty respondent or unit
        if int(size[:, i].max()) > self.items.width or int(size[:, a].max()) > self.answers.width:
            return None
        data = np.frombuffer(raw + bytes(widest + 8), dtype=np.uint8)
        position = self.items.find(_words(data, starts[:, i], size[:, i], self.items.words))
        level = self.answers.find(_words(data, starts[:, a], size[:, a], self.answers.words))
        if position is None or level is None:
            return None
        # runs of lines of one respondent of one unit: files are usually in this order, so the
        # Python work below is per run, not per line
        change = np.zeros(lines - 1, dtype=bool)
        for column in (r, u):
            n = -(-int(size[:, column].max()) // 8)
            cells = _words(data, starts[:, column], size[:, column], n)
            change |= (cells[1:] != cells[:-1]).any(axis=1)
        first = np.concatenate(([0], np.flatnonzero(change) + 1))
        spans = zip(
            *(part[first, c].tolist() for c in (u, r) for part in (starts, ends)), strict=True
        )
        names = [(raw[a:b].decode(), raw[c:d].decode()) for a, b, c, d in spans]
        return self._add(names, first, position, level, units, new)

    def _add(
        self,
        names: list[tuple[str, str]],
        first: NDArray[np.intp],
        position: NDArray[np.int64],
        level: NDArray[np.int64],
        units: MutableMapping[str, UnitTally],
        new: Callable[[], UnitTally],
    ) -> int | None:
        lines = len(position)
        items = len(self.items.keys)
        lengths = np.diff(np.append(first, lines))
        run = np.repeat(np.arange(len(first)), lengths)
        pairs = np.sort(run * items + position)
        if bool((pairs[1:] == pairs[:-1]).any()):
            return None  # an item twice in one run
        masks = _run_masks(position, first)
        seen = people = None
        if self.exact:
            seen = self._exact_runs(names, masks, units)
            if seen is None:
                return None
            order = list(dict.fromkeys(name for name, _ in names))
        else:
            people = self._ordered_runs(names, masks, units)
            if people is None:
                return None
            order = list(people)
        local = {name: at for at, name in enumerate(order)}
        run_unit = [local[name] for name, _ in names]
        cell = np.repeat(np.asarray(run_unit, dtype=np.int64), lengths) * items + position
        counts = np.bincount(cell * self.size + level, minlength=len(local) * items * self.size)
        self.counts.add(
            self.counts.rows_of(order),
            counts.reshape(len(local), items, self.size).astype(np.int64, copy=False),
        )
        if seen is not None:
            self._keep_exact(seen, units, new)
        else:
            assert people is not None  # ordered mode: made above
            for name, (last, mask, more) in people.items():
                tally = units.get(name)
                if tally is None:
                    tally = units[name] = new()
                tally.last, tally.mask = last, mask
                tally.people += more
        return lines

    @staticmethod
    def _exact_runs(
        names: list[tuple[str, str]], masks: list[int], units: MutableMapping[str, UnitTally]
    ) -> dict[tuple[str, str], int] | None:
        """Exact mode: every (unit, respondent) of the block and its items, or None when an item
        is answered twice."""
        seen: dict[tuple[str, str], int] = {}
        for key, mask in zip(names, masks, strict=True):
            before = seen.get(key)
            if before is None:
                tally = units.get(key[0])
                known = None if tally is None else tally.respondents
                before = 0 if known is None else known.get(key[1], 0)
            if before & mask:
                return None  # an item answered twice
            seen[key] = before | mask
        return seen

    @staticmethod
    def _ordered_runs(
        names: list[tuple[str, str]], masks: list[int], units: MutableMapping[str, UnitTally]
    ) -> dict[str, tuple[str, int, int]] | None:
        """Ordered mode: per unit of the block, its last respondent, that respondent's items and
        how many respondents the block adds; or None when an item is answered twice or a
        respondent comes out of order (the line reader says which)."""
        people: dict[str, tuple[str, int, int]] = {}
        for (name, person), mask in zip(names, masks, strict=True):
            state = people.get(name)
            if state is None:
                tally = units.get(name)
                state = ("", 0, 0) if tally is None else (tally.last, tally.mask, 0)
            last, items, more = state
            if person == last:
                if items & mask:
                    return None
                people[name] = (last, items | mask, more)
            elif comes_after(person, last):
                people[name] = (person, mask, more + 1)
            else:
                return None
        return people

    def _keep_exact(
        self,
        seen: dict[tuple[str, str], int],
        units: MutableMapping[str, UnitTally],
        new: Callable[[], UnitTally],
    ) -> None:
        shared = self.masks  # most respondents answer the same items: one int for them all
        for (name, person), mask in seen.items():
            tally = units.get(name)
            if tally is None:
                tally = units[name] = new()
            if len(shared) < _SHARED_MASKS:
                mask = shared.setdefault(mask, mask)
            assert tally.respondents is not None  # exact mode: made so
            tally.respondents[person] = shared.get(mask, mask)


def _run_masks(position: NDArray[np.int64], first: NDArray[np.intp]) -> list[int]:
    """Per run, the bit mask of its items (bit ``p`` for item position ``p``), as Python ints;
    the bits are gathered 64 at a time, so any number of items works."""
    word, bit = np.divmod(position, 64)
    ones = np.left_shift(np.uint64(1), bit.astype(np.uint64))
    masks = [0] * len(first)
    for w in range(int(word.max()) + 1):
        got = np.bitwise_or.reduceat(np.where(word == w, ones, np.uint64(0)), first).tolist()
        masks = [m | (g << (64 * w)) for m, g in zip(masks, got, strict=True)]
    return masks
