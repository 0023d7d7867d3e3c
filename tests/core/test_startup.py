"""``anju`` starts quickly: heavy libraries load when first used, not when any command starts.

pypinyin's phrase dictionary alone took about a second of every command, ``anju help`` included.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import django
from django.core.management import get_commands, load_command_class
django.setup()
for name, app in get_commands().items():
    load_command_class(app, name)  # every command's module, as ``anju help`` and ``anju <cmd>`` load them
import anju.urls  # every page and API module, as a web worker loads them
print("loaded" if "pypinyin" in sys.modules else "not loaded")
from anju.core.text import pinyin_initials
print(pinyin_initials("万科城市花园"), "loaded" if "pypinyin" in sys.modules else "not loaded")
"""


def test_pinyin_loads_on_first_use_not_at_start_up():
    # when every command and page module is loaded, then pinyin is asked for once
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "anju.settings", "PATH": ""},
    )
    # then nothing loaded it before the first use, and the first use works
    assert result.stdout.split("\n")[:2] == ["not loaded", "wkcshy loaded"]
