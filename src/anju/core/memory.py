"""Giving freed memory back to the system between the phases of long work.

glibc's allocator keeps the memory Python frees for later reuse; after work that makes and drops
millions of small objects (an import's rows, a fetched table) the process stays as large as its
peak, and the next phase grows it further from the fragments. ``malloc_trim`` returns the free
pages at once. Elsewhere than glibc it is not there and this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes


def give_back() -> None:
    """Return the process's freed heap to the system (glibc ``malloc_trim``); a no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
