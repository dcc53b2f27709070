"""Process-wide settings that hold while work is inside them, for coding that may run on several threads of one
process (a Dask worker with more than one thread).

A plain context manager that sets a process-wide value and restores it on leaving breaks when two threads
overlap: the first to leave restores the old value under the other, and the last to leave may restore the value
the first had set, which then stays for the life of the process. `Held` counts the threads inside: the first in
sets the value, the last out restores what was there before it.

    def one_thread():
        limiter = blas.limit(limits=1)          # set now
        return limiter.restore_original_limits  # what undoes it

    one_blas_thread = Held(one_thread)
    with one_blas_thread():
        ...
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Held:
    """`apply()` sets the value and returns the function that restores the one before."""

    def __init__(self, apply: Callable[[], Callable[[], object]]):
        self._apply = apply
        self._lock = threading.Lock()
        self._inside = 0
        self._restore: Callable[[], object] | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._inside == 0:
                self._restore = self._apply()
            self._inside += 1
        try:
            yield
        finally:
            with self._lock:
                self._inside -= 1
                if self._inside == 0 and self._restore is not None:
                    restore, self._restore = self._restore, None
                    restore()
