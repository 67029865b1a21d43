"""``python -m parindex``: the ``parindex`` command (the same as the installed script)."""

from __future__ import annotations

import sys

from parindex.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
