"""The one truncation policy: excerpts keep the anchored lines; token cuts keep head and tail."""

from __future__ import annotations

from pathlib import Path

from agent.graph.sources import failure_lines, read_source
from agent.text.textcut import cut_tokens, excerpt
from agent.text.tokens import encoding

NUMBERED = "".join(f"value_{n:04d} = {n}\n" for n in range(1, 2001))


def test_a_text_that_fits_is_returned_unchanged() -> None:
    assert excerpt("a = 1\nb = 2\n", [1], 100) == "a = 1\nb = 2\n"


def test_the_anchor_line_is_kept_with_the_head_and_the_gaps_are_marked() -> None:
    shown = excerpt(NUMBERED, [1500], 1200)

    assert len(shown) <= 1200
    assert "value_1500 = 1500\n" in shown
    assert shown.startswith("value_0001 = 1\n") and "value_0020 = 20\n" in shown
    assert "... lines 21-" in shown and "omitted ...\n" in shown
    assert shown.rstrip().endswith("-2000 omitted ...")
    assert "value_1000 = 1000" not in shown


def test_windows_grow_with_the_budget_and_are_centred_on_every_anchor() -> None:
    narrow = excerpt(NUMBERED, [300, 1700], 1200)
    wide = excerpt(NUMBERED, [300, 1700], 4000)

    for shown in (narrow, wide):
        assert "value_0300 = 300" in shown and "value_1700 = 1700" in shown
    assert len(narrow) < len(wide) <= 4000
    assert wide.count("omitted") == 3  # after the head, between the windows, after the last


def test_ranges_are_anchors_too() -> None:
    shown = excerpt(NUMBERED, [(900, 910)], 900)
    assert all(f"value_{n:04d} = {n}\n" in shown for n in range(900, 911))


def test_without_anchors_the_head_is_kept_and_the_rest_is_marked() -> None:
    shown = excerpt(NUMBERED, [], 500)
    assert shown.startswith("value_0001 = 1\n") and len(shown) <= 500
    assert shown.rstrip().endswith("-2000 omitted ...")


def test_when_only_the_anchor_fits_the_head_goes_first() -> None:
    shown = excerpt(NUMBERED, [1500], 60)
    assert "value_1500 = 1500" in shown and "value_0001" not in shown


def test_a_budget_in_tokens_is_measured_by_the_given_size() -> None:
    def size(text: str) -> int:
        return len(encoding().encode_ordinary(text))

    shown = excerpt(NUMBERED, [1500], 300, size)
    assert size(shown) <= 300 and "value_1500 = 1500" in shown


def test_token_cuts_keep_the_head_the_tail_or_both() -> None:
    text = " ".join(f"w{n}" for n in range(400))
    both = cut_tokens(text, encoding(), 10, 10)
    assert text.startswith(both.head) and text.endswith(both.tail) and both.cut > 0
    assert cut_tokens(text, encoding(), 0, 5).head == ""
    assert cut_tokens("short", encoding(), 10, 0) == cut_tokens("short", encoding(), 10, 0)
    assert cut_tokens("short", encoding(), 10, 0).cut == 0


def test_read_source_keeps_the_lines_a_traceback_names(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text(NUMBERED, encoding="utf-8")
    output = "big.py:1500: in <module>\n    value_1500 = 1500\nE   NameError\n"

    lines = failure_lines(output, "big.py")
    shown = read_source(tmp_path, "big.py", lines)

    assert lines == [1500]
    assert "value_1500 = 1500" in shown and len(shown) <= 12_000
    assert "value_1500 = 1500" not in read_source(tmp_path, "big.py")  # a head cut drops it
    native = 'File "/tmp/x/big.py", line 7, in f\nFile "other/big.pyc", line 9\n'
    assert failure_lines(native, "big.py") == [7]
