"""Dutch first, English complete: every user-visible string is in the catalog and translated."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "campaign" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w+\}")


def catalog():
    with PO.open("rb") as fh:
        return read_po(fh)


def test_every_dutch_message_is_translated_and_not_fuzzy():
    missing = []
    for message in catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    assert missing == []


def test_translations_keep_their_placeholders():
    for message in catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            # Dutch singular forms may spell out "one" instead of %(num)d; nothing may be invented.
            assert set(PLACEHOLDER.findall(text)) <= expected | set(PLACEHOLDER.findall(ids[0])), message.id
            if len(ids) == 1:
                assert set(PLACEHOLDER.findall(text)) == expected, message.id


def test_the_catalog_holds_every_string_in_the_code_and_templates(tmp_path):
    pot = tmp_path / "messages.pot"
    # The keywords of `make extract-messages`.
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2", "-k", "lazy_ngettext:1,2",
                    "-o", str(pot), "campaign", "templates"],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as fh:
        extracted = {(m.context, m.id) for m in read_po(fh) if m.id}
    translated = {(m.context, m.id) for m in catalog() if m.id}
    assert sorted(map(str, extracted - translated)) == [], "run `make extract-messages` and translate"
