"""The Chinese catalogue is complete (issue 16, language).

- no entry of ``locale/zh_Hans/LC_MESSAGES/django.po`` is untranslated or fuzzy
  (a fuzzy entry is a guess gettext does not use: the page shows English);
- every entry of the fragments (``locale/fragments/*.po``, written by each change
  and merged by the lead) is in the catalogue;
- the compiled ``django.mo`` says what the ``.po`` says (compiled after the merge).

Until the fragments are merged and compiled, the last two fail: that is their job.
"""

import ast
import gettext
import pathlib
import re

import pytest

LOCALE = pathlib.Path(__file__).resolve().parent.parent / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FRAGMENTS = sorted((LOCALE / "fragments").glob("*.po"))


def parse_po(path):
    """[{"msgctxt", "msgid", "msgid_plural", "msgstr": [..], "fuzzy", "line"}] of a PO file
    (obsolete ``#~`` entries left out; the header included with msgid "")."""
    entries = []
    entry = None
    key = None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line:
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"msgstr": {}, "fuzzy": False, "line": number, "msgctxt": None, "refs": []}
        if line.startswith("#:"):
            entry["refs"].extend(line[2:].split())
            continue
        if line.startswith("#,"):
            entry["fuzzy"] = entry["fuzzy"] or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            if match.group(1) == "msgctxt" and "msgid" in entry:
                finish()
                entry = {"msgstr": {}, "fuzzy": False, "line": number, "msgctxt": None, "refs": []}
            key = match.group(1)
            text = ast.literal_eval(match.group(3))
            if key.startswith("msgstr"):
                index = int(match.group(2) or 0)
                entry["msgstr"][index] = text
                key = ("msgstr", index)
            else:
                entry[key] = text
        elif line.startswith('"') and key is not None:
            text = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += text
            else:
                entry[key] += text
    finish()
    return entries


def _name(entry):
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return f"line {entry['line']}: {context}{entry['msgid'][:70]!r}"


def _translated(entry):
    return bool(entry["msgstr"]) and all(text for text in entry["msgstr"].values())


def _catalogue():
    return [entry for entry in parse_po(PO) if entry["msgid"]]


def test_no_entry_is_untranslated_or_fuzzy():
    entries = _catalogue()
    assert len(entries) > 500
    untranslated = [_name(e) for e in entries if not _translated(e)]
    fuzzy = [_name(e) for e in entries if e["fuzzy"]]
    assert not untranslated, "Untranslated in django.po:\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy (not used) in django.po:\n" + "\n".join(fuzzy)


def test_the_fragments_are_merged():
    if not FRAGMENTS:
        pytest.skip("no fragments")
    catalogue = {(e["msgctxt"], e["msgid"]) for e in _catalogue()}
    missing = []
    for fragment in FRAGMENTS:
        for entry in parse_po(fragment):
            if entry["msgid"] and (entry["msgctxt"], entry["msgid"]) not in catalogue:
                missing.append(f"{fragment.name} {_name(entry)}")
    assert not missing, "Fragment entries not merged into django.po:\n" + "\n".join(missing)


def test_the_compiled_catalogue_is_the_po():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _catalogue():
        if not _translated(entry) or entry["fuzzy"]:
            continue
        msgid = entry["msgid"]
        if entry["msgctxt"]:
            got = compiled.pgettext(entry["msgctxt"], msgid)
        elif "msgid_plural" in entry:
            got = compiled.ngettext(msgid, entry["msgid_plural"], 1)
        else:
            got = compiled.gettext(msgid)
        if got != entry["msgstr"][0]:
            stale.append(_name(entry))
    assert not stale, "django.mo is not compiled from django.po:\n" + "\n".join(stale[:50])


def test_every_text_of_the_code_is_translated(tmp_path):
    """``makemessages`` run on a copy of the project: every text the code and the
    templates mark for translation is translated, in the catalogue or in a
    fragment waiting for the merge (a string missing from both shows in English
    on a Chinese page)."""
    import shutil
    import subprocess
    import sys

    root = LOCALE.parent
    copy = tmp_path / "project"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "staticfiles", "docs", "node_modules", "__pycache__", "*.pyc"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "-v0",
            "--ignore=tests/*",
            "--ignore=bench/*",
        ],
        cwd=copy,
        check=True,
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        timeout=300,
    )
    fragments = {}
    for fragment in FRAGMENTS:
        for entry in parse_po(fragment):
            if _translated(entry) and not entry["fuzzy"]:
                fragments[(entry["msgctxt"], entry["msgid"])] = fragment.name
    regenerated = parse_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    missing = [
        f"{_name(entry)} ({' '.join(entry['refs'][:2])})"
        for entry in regenerated
        if entry["msgid"]
        and (not _translated(entry) or entry["fuzzy"])
        and (entry["msgctxt"], entry["msgid"]) not in fragments
    ]
    assert not missing, "Texts of the code with no translation:\n" + "\n".join(missing)
