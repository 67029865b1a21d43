"""``python -m parindex.locale [--check]``: compile the message catalogues (see the package)."""

from __future__ import annotations

import sys

from parindex.locale import build


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = build(check=check)
    for mo in stale:
        print(f"{mo}: {'out of date' if check else 'written'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
