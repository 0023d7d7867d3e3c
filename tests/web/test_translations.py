"""English is the second language: every interface string has a translation, and the compiled
catalogue that Django reads matches the .po file translators edit."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import anju

LOCALE = Path(anju.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in re.finditer(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', text, re.MULTILINE):
        msgid = "".join(re.findall(r'"(.*)"', block.group(1))).replace('\\"', '"')
        msgstr = "".join(re.findall(r'"(.*)"', block.group(2))).replace('\\"', '"')
        if msgid:
            entries[msgid] = msgstr
    return entries


def test_every_string_has_an_english_translation():
    entries = po_entries()
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert entries["工作台"] == "Workbench"  # the file was read, entries and all
    assert untranslated == []
    assert 'msgstr[0] ""' not in text
    assert "#, fuzzy" not in text


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = {msgid for msgid, msgstr in po_entries().items() if catalogue.gettext(msgid) != msgstr}
    assert catalogue.gettext("工作台") == "Workbench"
    assert stale == set(), "run `anju compilemessages` after editing django.po"
