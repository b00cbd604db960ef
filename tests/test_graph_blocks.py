"""Search/replace blocks: parsed from sloppy replies, applied to every file or to none."""

from __future__ import annotations

from pathlib import Path

from agent.graph.blocks import Block, apply_blocks, parse_blocks
from agent.graph.editable import path_problem
from agent.graph.search_replace import edits

PRICES = "def price(amount):\n    return amount * 2\n"
TAX = "def tax(amount):\n    return amount // 10\n"
EDITABLE = ["shop/prices.py", "shop/tax.py"]


def block(search: str, replace: str, path: str = "") -> str:
    head = f"{path}\n" if path else ""
    return f"{head}<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


def files(tmp_path: Path) -> Path:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "prices.py").write_text(PRICES, encoding="utf-8")
    (tmp_path / "shop" / "tax.py").write_text(TAX, encoding="utf-8")
    return tmp_path


def test_blocks_are_read_through_fences_prose_and_sloppy_markers() -> None:
    reply = (
        "The price doubles instead of adding one.\n\n"
        "`shop/prices.py`\n```python\n<<<<<<<SEARCH\n    return amount * 2\n=====\n"
        "    return amount + 1\n>>>>>>>  REPLACE\n```\n\n"
        "<<<<<<< SEARCH\ndef price(amount):\n=======\ndef price(amount: int):\n>>>>>>> REPLACE\n"
        "And the tax:\nshop/tax.py:\n" + block("    return amount // 10\n", "    return 0\n")
    )
    blocks, problem = parse_blocks(reply, "focus.py")
    assert problem is None
    assert blocks == [
        Block("shop/prices.py", "    return amount * 2\n", "    return amount + 1\n"),
        Block("shop/prices.py", "def price(amount):\n", "def price(amount: int):\n"),
        Block("shop/tax.py", "    return amount // 10\n", "    return 0\n"),
    ]


def test_a_block_without_a_path_edits_the_focus_file() -> None:
    [only], problem = parse_blocks(block("a\n", "b\n"), "shop/prices.py")
    assert problem is None and only.path == "shop/prices.py"


def test_an_unclosed_or_missing_block_is_a_problem() -> None:
    assert parse_blocks("<<<<<<< SEARCH\na\n=======\nb\n", "f.py")[1] == (
        "block 1 is not closed with >>>>>>> REPLACE"
    )
    assert parse_blocks("no blocks here", "f.py") == ([], "it has no <<<<<<< SEARCH block")


def test_blocks_for_two_files_apply_together(tmp_path: Path) -> None:
    root = files(tmp_path)
    reply = block("    return amount * 2\n", "    return amount + 1\n", "shop/prices.py") + block(
        "return amount // 10\n", "return amount // 5\n", "shop/tax.py"
    )
    texts, problem = edits(root, reply, "shop/prices.py", EDITABLE)
    assert problem is None
    assert texts == {
        "shop/prices.py": PRICES.replace("* 2", "+ 1"),
        "shop/tax.py": TAX.replace("// 10", "// 5"),
    }


def test_one_bad_block_leaves_every_file_untouched(tmp_path: Path) -> None:
    root = files(tmp_path)
    reply = block("    return amount * 2\n", "    return amount + 1\n", "shop/prices.py") + block(
        "return amount % 10\n", "return 1\n", "shop/tax.py"
    )
    texts, problem = edits(root, reply, "shop/prices.py", EDITABLE)
    assert texts == {}
    assert problem is not None and problem.startswith("block 2 (shop/tax.py): old text not found")
    assert (root / "shop" / "prices.py").read_text(encoding="utf-8") == PRICES
    assert (root / "shop" / "tax.py").read_text(encoding="utf-8") == TAX


def test_a_block_that_breaks_the_module_or_names_another_file_is_refused(tmp_path: Path) -> None:
    root = files(tmp_path)
    broken = block("    return amount * 2\n", "    return (\n", "shop/prices.py")
    assert edits(root, broken, "shop/prices.py", EDITABLE)[1] == (
        "after the blocks shop/prices.py is not valid Python (line 2: '(' was never closed)"
    )
    elsewhere = block("x\n", "y\n", "shop/price.py")
    texts, problem = apply_blocks(root, parse_blocks(elsewhere, "f.py")[0], EDITABLE)
    assert texts == {} and problem is not None
    assert "shop/price.py is not a source file you may change" in problem
    assert "shop/prices.py" in problem


def test_paths_are_checked_against_the_editable_list_with_the_closest_named() -> None:
    many = [f"pkg/mod_{n:03d}.py" for n in range(200)]
    assert path_problem("pkg/mod_149.py", many) is None
    assert path_problem("./pkg/mod_149.py", many) is None
    problem = path_problem("mod_149.py", many)
    assert problem is not None and "the closest are pkg/mod_149.py," in problem
    test_problem = path_problem("tests/test_mod.py", many)
    assert test_problem is not None and "test file" in test_problem
