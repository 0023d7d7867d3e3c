"""``anju``: the one command for everything an operator does (every Django management command too)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["anju", *argv])
    args[0] = "anju"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
