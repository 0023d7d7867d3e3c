"""How staff passwords are hashed: Argon2id at the parameters OWASP's Password Storage Cheat Sheet
recommends (19 MiB of memory, two passes, one lane), not Django's own (100 MiB, two passes, eight
lanes). Decision 0031.

Django's default costs 110 ms of both cores of a store's two-core server per sign-in, some 200 ms of
processor time: the morning's 200 sign-ins of a chain kept both cores busy for 20 s, and a sign-in
under the day's load waited 390 ms (p95). These cost 18 ms of one core. A password hashed with other
parameters still signs in, and is hashed again with these at that sign-in (Django's ``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class StaffPasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1. The algorithm's name stays ``argon2``: every hash already
    stored is read by this hasher, whatever parameters it was made with."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
