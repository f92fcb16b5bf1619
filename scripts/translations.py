"""The FR, NL and EN catalogues: `update` runs makemessages; `check` fails when they are out of date, or hold an
empty or fuzzy translation.

`check` runs `makemessages` on a copy of the catalogues and compares them (ignoring the creation date), then reads every
entry with Babel. Needs GNU gettext (xgettext, msgmerge) on the machine.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ("fr", "nl", "en")
DATE_LINE = re.compile(rb'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def normalised(path):
    return DATE_LINE.sub(b"", path.read_bytes())


def update():
    subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES], cwd=ROOT, check=True)
    return 0


def check():
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "locale"
        shutil.copytree(LOCALE, before)
        subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES], cwd=ROOT, check=True, capture_output=True)
        for code in LANGUAGES:
            relative = Path(code) / "LC_MESSAGES" / "django.po"
            if normalised(before / relative) != normalised(LOCALE / relative):
                problems.append(f"{relative}: out of date — run `make messages`, translate, commit")
            shutil.copy(before / relative, LOCALE / relative)
    for code in LANGUAGES:
        path = LOCALE / code / "LC_MESSAGES" / "django.po"
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=code)
        for message in catalogue:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                problems.append(f"{path.relative_to(ROOT)}: fuzzy: {message.id!r}")
            elif not all(strings):
                problems.append(f"{path.relative_to(ROOT)}: empty: {message.id!r}")
    for problem in problems:
        print(problem)
    print(f"Translations: {len(problems)} problem(s) in {', '.join(LANGUAGES)}.")
    return 1 if problems else 0


MAKEMESSAGES = [
    "makemessages",
    *(arg for code in LANGUAGES for arg in ("--locale", code)),
    "--no-obsolete",
    "--no-location",
    "--ignore",
    ".venv/*",
    "--ignore",
    "node_modules/*",
    "--ignore",
    "var/*",
    # Tests read the catalogues (to compare pages and emails with them); they define no interface string.
    "--ignore",
    "tests/*",
    "--ignore",
    "participation/*/tests/*",
]

if __name__ == "__main__":
    sys.exit({"update": update, "check": check}[sys.argv[1] if len(sys.argv) > 1 else "check"]())
