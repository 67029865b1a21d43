"""The ``parindex`` command line: a thin layer over :mod:`parindex.api`."""
