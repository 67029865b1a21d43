"""Compile parindex's message catalogues (``src/parindex/locale/*/LC_MESSAGES/parindex.po``) into
the ``.mo`` files the package ships: ``python tools/compile_catalogues.py [--check]``.

``--check`` writes nothing and exits 1 when a ``.mo`` is out of date (the test suite runs the same
check). The compiler itself is :mod:`parindex.locale` (no Babel needed); the files are written
through parindex's atomic writer, like every other output.
"""

from __future__ import annotations

import sys

from parindex.io.files import atomic_write_bytes
from parindex.locale import stale


def main(argv: list[str]) -> int:
    check = "--check" in argv
    outdated = stale()
    for mo, data in outdated:
        if not check:
            atomic_write_bytes(mo, data)
        print(f"{mo}: {'out of date' if check else 'written'}")
    return 1 if check and outdated else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
