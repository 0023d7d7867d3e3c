"""Loaded with ``-p tests.pytest_env`` before Django starts: tests never touch the dev data directory.

Jobs run in Huey's immediate mode by default (a job enqueued on commit runs at once, in memory);
the job-queue tests switch a real SQLite or Redis queue back on explicitly.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("ANJU_DATA_DIR", tempfile.mkdtemp(prefix="anju-test-"))
os.environ.setdefault("ANJU_JOBS_IMMEDIATE", "1")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ANJU_WORKBENCH_RAISE_ERRORS", "1")
