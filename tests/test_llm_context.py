"""Context truncation by tokens keeps the task statement and the latest failure."""

from __future__ import annotations

from agent.llm.context_window import count_messages, fit_messages
from agent.text.tokens import count_text

BIG = "\n".join(f"output line {i}" for i in range(3000))


def _conversation() -> list[dict[str, object]]:
    messages: list[dict[str, object]] = [
        {"role": "system", "content": "You fix bugs."},
        {"role": "user", "content": "TASK: make test_add pass."},
    ]
    for turn in range(6):
        messages.append({"role": "assistant", "content": f'{{"tool": "run_tests", "n": {turn}}}'})
        messages.append({"role": "user", "content": f"result {turn}\n{BIG}"})
    messages.append({"role": "user", "content": "LATEST FAILURE: assert -1 == 5"})
    return messages


def test_fit_keeps_task_and_latest_failure_and_fits_the_window() -> None:
    fitted = fit_messages(_conversation(), 3000, 500)
    assert count_messages(fitted) <= 3000
    assert fitted[0]["content"] == "You fix bugs."
    assert fitted[1]["content"] == "TASK: make test_add pass."
    assert fitted[-1]["content"] == "LATEST FAILURE: assert -1 == 5"
    contents = [str(m["content"]) for m in fitted]
    assert not any(c.startswith("result 0") for c in contents), "the oldest turn goes first"
    assert any(c.startswith("result 5") for c in contents), "recent turns stay"


def test_old_tool_output_is_cut_by_tokens_even_when_everything_fits() -> None:
    fitted = fit_messages(_conversation(), 10**6, 200)
    assert len(fitted) == len(_conversation())
    assert all(count_text(str(m["content"])) <= 220 for m in fitted)


def test_a_tool_call_and_its_result_are_dropped_together() -> None:
    call = {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function",
            "function": {"name": "run_tests", "arguments": "{}"}}]}  # fmt: skip
    messages = [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "task"},
        call,
        {"role": "tool", "tool_call_id": "c1", "content": BIG},
        {"role": "user", "content": "latest"},
    ]
    fitted = fit_messages(messages, 200, 10**6)
    assert [m["role"] for m in fitted] == ["system", "user", "user"]


def test_an_oversized_pinned_failure_is_cut_rather_than_overflowing() -> None:
    messages = [{"role": "user", "content": "task"}, {"role": "user", "content": BIG}]
    fitted = fit_messages(messages, 1000, 100)
    assert count_messages(fitted) <= 1000 and fitted[0]["content"] == "task"
    assert str(fitted[1]["content"]).endswith("output line 2999")
