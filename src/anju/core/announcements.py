"""Announcements: a lower app says what it changed, the apps above it that care listen.

An app never imports the apps above it (decision 0010). When one of its writes changes something
another app keeps a copy of or reacts to, the write ``announce``s a small frozen dataclass defined
by the announcing app (``listings.announcements.ListingsChanged``: a company and the listing ids),
and the apps that care register a listener for that kind with ``listen``, from their
``listeners.py``, imported by their ``AppConfig.ready()``::

    @listen(ListingsChanged)
    def keep_layout(news: ListingsChanged) -> None:
        layout.listings_refresh(news.listing_ids)

``announce`` runs the listeners at once, in the order they were registered, inside the writing
transaction (it refuses to run outside one): a listener sees the write, its own writes commit or
roll back with it, and its exception rolls the whole write back. So a listener must

- be quick and set-based: a bulk write announces once for its whole batch;
- be idempotent: announcing the same ids twice leaves the same state;
- send nothing outside the database before the commit (jobs, messages, files):
  ``anju.core.jobs.enqueue_on_commit`` / ``transaction.on_commit``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection

Kind = TypeVar("Kind")
Listener = Callable[[Any], None]

_listeners: dict[type, list[Listener]] = defaultdict(list)


def listen(kind: type[Kind]) -> Callable[[Callable[[Kind], None]], Callable[[Kind], None]]:
    """Register the decorated function to hear every announcement of ``kind`` (once, however
    often the module registering it is imported)."""

    def register(listener: Callable[[Kind], None]) -> Callable[[Kind], None]:
        known = _listeners[kind]
        name = (listener.__module__, listener.__qualname__)
        if all((known_one.__module__, known_one.__qualname__) != name for known_one in known):
            known.append(listener)
        return listener

    return register


def announce(news: object) -> None:
    """Run the listeners of ``type(news)`` now, inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError(f"{type(news).__name__} must be announced inside the writing transaction")
    for listener in _listeners.get(type(news), ()):
        listener(news)


def listeners_of(kind: type) -> tuple[Listener, ...]:
    """Who hears ``kind``, in order (for tests and for reading)."""
    return tuple(_listeners.get(kind, ()))


class AnnouncesAdminEdits:
    """A ``ModelAdmin`` mixin: the admin site is a write path too, so its saves and deletes announce
    like the services do. The admin saves inside a transaction; ``save_related`` runs after the row
    and its inlines and many-to-many fields are written, so listeners see the whole edit."""

    def announcements(self, obj: Any) -> list[object]:
        raise NotImplementedError

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        for news in self.announcements(form.instance):
            announce(news)

    def delete_model(self, request: Any, obj: Any) -> None:
        told = self.announcements(obj)  # read before the row is gone
        super().delete_model(request, obj)  # type: ignore[misc]
        for news in told:
            announce(news)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        told = [news for obj in queryset for news in self.announcements(obj)]
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for news in told:
            announce(news)
