"""Pausing the cyclic garbage collector for long work, and giving it back as it was."""

from __future__ import annotations

import gc
import threading

import pytest

from anju.core.memory import cyclic_gc_paused


@pytest.fixture
def collector_as_found():
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_inside_and_runs_again_after(collector_as_found):
    # given
    gc.enable()
    # when / then
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_and_concurrent_pauses_end_with_the_last_one(collector_as_found):
    # given
    gc.enable()
    inside, leave = threading.Event(), threading.Event()

    def other_work() -> None:
        with cyclic_gc_paused():
            inside.set()
            leave.wait(5)

    other = threading.Thread(target=other_work)
    # when: another thread pauses it too, and leaves after this one
    with cyclic_gc_paused():
        other.start()
        inside.wait(5)
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # the inner pause ended, the outer one holds
    # then: still paused while the other thread works, running again once it is done
    assert not gc.isenabled()
    leave.set()
    other.join(5)
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled(collector_as_found):
    # given
    gc.disable()
    # when
    with cyclic_gc_paused():
        pass
    # then
    assert not gc.isenabled()
