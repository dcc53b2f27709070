"""A process-wide setting held while coding runs holds as long as any thread codes, and is restored after the last."""
from __future__ import annotations

import gc
import threading

from bilat.pipeline import YOUNG_OBJECTS, _fewer_collections


def test_overlapping_threads_keep_the_setting_until_the_last_leaves():
    before = gc.get_threshold()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with _fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with _fewer_collections():
            second_in.set()
            first_out.wait(5)
            seen["after the first left"] = gc.get_threshold()[0]

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen["after the first left"] == max(before[0], YOUNG_OBJECTS)  # still held for the second
    assert gc.get_threshold() == before                                    # and restored by the last one out


def test_the_setting_is_restored_when_the_work_fails():
    before = gc.get_threshold()
    try:
        with _fewer_collections():
            raise ValueError("an article that cannot be coded")
    except ValueError:
        pass
    assert gc.get_threshold() == before
