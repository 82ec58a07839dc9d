"""The one error an export raises for a bad request; commands show its message and exit non-zero."""

from __future__ import annotations


class ExportError(Exception):
    """Unknown format or CRS, an empty selection, a path that cannot be written. Nothing was written."""
