"""Every user-facing string has a French translation, and the committed catalogs are current.

The catalogs are regenerated with makemessages in a scratch copy of the project: a string added
to code or templates without a translation shows up there as an empty or fuzzy msgstr."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["outagedesk", "incidents", "newsroom", "public", "comments", "notifications"]


def parse_po(path: Path) -> dict[str, dict]:
    """msgid -> {"msgstr": [..], "fuzzy": bool}; the header entry is left out."""
    entries: dict[str, dict] = {}
    current: dict = {"flags": "", "fields": {}}
    field = None

    def flush():
        fields = current["fields"]
        msgid = fields.get("msgid")
        if msgid:
            context = fields.get("msgctxt", "")
            key = f"{context}\x04{msgid}" if context else msgid
            strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries[key] = {"msgstr": strs, "fuzzy": "fuzzy" in current["flags"]}

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            flush()
            current = {"flags": "", "fields": {}}
            field = None
        elif line.startswith("#~"):
            continue  # obsolete entries
        elif line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current["fields"][field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            current["fields"][field] = ast.literal_eval(value)
    return entries


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    scratch = tmp_path_factory.mktemp("i18n") / "project"
    shutil.copytree(
        ROOT,
        scratch,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "__pycache__", "node_modules", "*.mo"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "en",
         "--ignore=tests/*", "--ignore=bench/*", "--ignore=deploy/*", "--ignore=demo/*"],
        cwd=scratch, check=True, capture_output=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tests.settings",
             "PYTHONPATH": str(scratch), "OUTAGEDESK_VAR_DIR": str(scratch / "var")},
    )  # fmt: skip
    return scratch


def catalogs(base: Path, language: str) -> list[Path]:
    found = [base / "locale" / language / "LC_MESSAGES" / "django.po"]
    found += [base / app / "locale" / language / "LC_MESSAGES" / "django.po" for app in APPS]
    return [path for path in found if path.exists()]


def test_every_string_has_a_french_translation(regenerated):
    problems = []
    for path in catalogs(regenerated, "fr"):
        for msgid, entry in parse_po(path).items():
            if entry["fuzzy"] or not all(entry["msgstr"]):
                problems.append(f"{path.relative_to(regenerated)}: {msgid!r}")
    assert not problems, "Untranslated or fuzzy French strings:\n" + "\n".join(problems[:50])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_committed_catalogs_are_current(regenerated, language):
    """The catalogs in the repository hold every string the code uses (run makemessages)."""
    problems = []
    for path in catalogs(regenerated, language):
        committed_path = ROOT / path.relative_to(regenerated)
        committed = parse_po(committed_path) if committed_path.exists() else {}
        missing = set(parse_po(path)) - set(committed)
        problems += [f"{committed_path.relative_to(ROOT)}: {m!r}" for m in sorted(missing)]
    assert not problems, "Strings missing from committed catalogs:\n" + "\n".join(problems[:50])


def test_french_is_served_to_french_readers(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Connexion de l&#x27;équipe" in response.content.decode() or (
        "Connexion de l'équipe" in response.content.decode()
    )
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Staff login" in response.content.decode()
