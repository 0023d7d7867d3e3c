"""Loaded with ``-p tests.pytest_env`` before Django starts: tests never touch the dev data directory.

Jobs run in Huey's immediate mode by default (a job enqueued on commit runs at once, in memory);
the job-queue tests switch a real SQLite or Redis queue back on explicitly.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("ANJU_DATA_DIR", tempfile.mkdtemp(prefix="anju-test-"))
# Each pytest-xdist worker its own data directory (they inherit the first process's environment):
# two workers building the demo would otherwise write different photos to the same paths, and a
# test comparing files on disk would read the other worker's.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["ANJU_DATA_DIR"] = os.path.join(os.environ["ANJU_DATA_DIR"], worker)
os.environ.setdefault("ANJU_JOBS_IMMEDIATE", "1")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ANJU_WORKBENCH_RAISE_ERRORS", "1")
