"""Giving freed memory back to the system between the phases of long work, and pausing the cyclic
garbage collector while such work builds up many objects that live to its end.

glibc's allocator keeps the memory Python frees for later reuse; after work that makes and drops
millions of small objects (an import's rows, a fetched table) the process stays as large as its
peak, and the next phase grows it further from the fragments. ``malloc_trim`` returns the free
pages at once. Elsewhere than glibc it is not there and this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from collections.abc import Iterator


def give_back() -> None:
    """Return the process's freed heap to the system (glibc ``malloc_trim``); a no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


_pausing = threading.Lock()
_paused = 0  # how many callers are inside ``cyclic_gc_paused``
_was_enabled = False  # whether the collector ran before the first of them came in


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside (reference counting frees memory as always).

    An import holds a file's parsed rows from the first phase to the last: each row is a few
    objects that live to the end, and the collector, which runs after every few hundred new
    objects, walks them all again and again. For 20,000 listings that was a fifth of the import's
    CPU time; the cyclic garbage left meanwhile was a few tens of thousands of objects, collected
    once the last work pausing the collector ends. Safe to nest and to use from several threads.
    """
    global _paused, _was_enabled
    with _pausing:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
