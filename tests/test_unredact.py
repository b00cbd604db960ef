"""A model sees [REDACTED] for secrets; its edits must not write the marker over the real value."""

from __future__ import annotations

from pathlib import Path

from agent.scanners.secrets import REDACTED, redact
from agent.scanners.unredact import restore_secrets, shown_text
from agent.tools.files import read_file, replace_text, write_file
from tests.toolkit import call, user_repo, worked_item

KEY = "AKIA" + "Q7ZP3XW9LM2KT4VB"
OTHER = "AKIA" + "J5HN8RC2YT6DW1QE"
MODULE = f'''"""Signing."""

ACCESS_KEY = "{KEY}"
BACKUP_KEY = "{OTHER}"
MARKER = "[REDACTED]"


def fee(amount):
    return amount * 2
'''


def test_the_shown_text_is_what_redact_gives_and_each_marker_knows_its_value() -> None:
    shown, values = shown_text(MODULE)
    assert shown == redact(MODULE)
    assert values == [KEY, OTHER, REDACTED]


def test_unchanged_lines_get_their_secrets_back_in_order() -> None:
    edited = redact(MODULE).replace("amount * 2", "amount + 2")
    restored, problem = restore_secrets(MODULE, edited)
    assert problem is None
    assert restored == MODULE.replace("amount * 2", "amount + 2")


def test_a_changed_line_keeps_its_secret_when_the_text_around_the_marker_matches() -> None:
    edited = redact(MODULE).replace(
        f'ACCESS_KEY = "{REDACTED}"', f'    ACCESS_KEY = "{REDACTED}"  # rotated yearly'
    )
    restored, problem = restore_secrets(MODULE, edited)
    assert problem is None and f'ACCESS_KEY = "{KEY}"  # rotated yearly' in restored


def test_a_marker_whose_place_cannot_be_told_is_a_problem_not_a_write() -> None:
    edited = redact(MODULE).replace(f'BACKUP_KEY = "{REDACTED}"', f'NEW_KEY = "{REDACTED}"')
    restored, problem = restore_secrets(MODULE, edited)
    assert restored == edited
    assert problem is not None and "line 4" in problem


def test_text_without_markers_is_taken_as_it_is() -> None:
    assert restore_secrets(MODULE, "x = 1\n") == ("x = 1\n", None)


def test_the_edit_tools_write_the_secret_back_or_refuse(tmp_path: Path) -> None:
    with worked_item(user_repo(tmp_path, {"src/keys.py": MODULE})) as ws:
        target = ws.root / "src" / "keys.py"
        shown = call(read_file, ws, path="src/keys.py").output
        assert KEY not in shown and f'ACCESS_KEY = "{REDACTED}"' in shown

        old = f'ACCESS_KEY = "{REDACTED}"\nBACKUP_KEY = "{REDACTED}"'
        edited = call(replace_text, ws, path="src/keys.py", old=old, new=old + "\nLIMIT = 3")
        assert edited.ok, edited.output
        assert target.read_text(encoding="utf-8") == MODULE.replace(
            f'BACKUP_KEY = "{OTHER}"\n', f'BACKUP_KEY = "{OTHER}"\nLIMIT = 3\n'
        )

        written = call(write_file, ws, path="src/keys.py", content=redact(MODULE))
        assert written.ok and target.read_text(encoding="utf-8") == MODULE

        lost = redact(MODULE).replace("BACKUP_KEY", "SPARE_KEY")
        refused = call(write_file, ws, path="src/keys.py", content=lost)
        assert not refused.ok and "has [REDACTED] where the file has other text" in refused.output
        assert target.read_text(encoding="utf-8") == MODULE
