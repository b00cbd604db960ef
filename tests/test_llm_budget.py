"""Hard caps are checked before each call: a scripted model proves no call is made past a cap."""

from __future__ import annotations

import pytest

from agent.config.model import ModelSettings, Price
from agent.llm.budget import BudgetExceeded, Ledger, price_for
from agent.llm.context_window import count_messages
from agent.llm.protocol import Usage
from agent.llm.session import ModelSession
from tests.scripted_model import ScriptedModel

HELLO = [{"role": "user", "content": "hello"}]


def _run_until_blocked(session: ModelSession, model: ScriptedModel, item: str = "BL-1") -> str:
    for _ in range(50):
        try:
            session.reply(HELLO, item, "green")
        except BudgetExceeded as exc:
            return exc.cap
    raise AssertionError("the cap was never reached")


def test_token_cap_per_item_stops_before_the_call_that_could_cross_it() -> None:
    messages = [{"role": "user", "content": "word " * 300}]
    estimate = count_messages(messages)
    per_call = Usage(2 * estimate, 50)  # the server's tokenizer counts twice what tiktoken does
    cap = 2 * per_call.total + 2 * estimate + 100 - 1
    settings = ModelSettings(max_tokens_per_item=cap, max_completion_tokens=100)
    model = ScriptedModel(["ok"] * 5, usage=per_call)
    session = ModelSession(model, settings, Ledger(), "json")
    session.reply(messages, "BL-1", "green")
    session.reply(messages, "BL-1", "green")
    with pytest.raises(BudgetExceeded) as blocked:
        session.reply(messages, "BL-1", "green")
    # Uncalibrated, call 3 would be projected at 2*total + estimate + 100 < cap and cross it.
    assert blocked.value.cap == "tokens per item" and len(model.calls) == 2
    assert session.ledger.item("BL-1").tokens == 2 * per_call.total <= cap


def test_no_call_is_made_once_the_run_token_cap_is_reached() -> None:
    settings = ModelSettings(max_tokens_per_run=500, max_completion_tokens=100)
    model = ScriptedModel(["ok"] * 50, usage=Usage(150, 50))
    session = ModelSession(model, settings, Ledger(), "json")
    assert _run_until_blocked(session, model) == "tokens per run"
    assert len(model.calls) == 2 and session.ledger.run.tokens == 400


def test_cost_cap_per_run_spans_items_and_no_call_is_made_past_it() -> None:
    settings = ModelSettings(
        max_cost_per_run=0.006,
        max_completion_tokens=100,
        prices={"paid": Price(input=10, output=10)},
    )
    model = ScriptedModel(["ok"] * 50, model_name="paid-model", usage=Usage(200, 50))
    ledger = Ledger()
    session = ModelSession(model, settings, ledger, "json")
    session.reply(HELLO, "BL-1", "green")
    session.reply(HELLO, "BL-2", "green")
    with pytest.raises(BudgetExceeded) as blocked:
        session.reply(HELLO, "BL-3", "green")
    assert blocked.value.cap == "cost per run" and blocked.value.reason == "budget"
    assert len(model.calls) == 2 and ledger.run.cost_usd == pytest.approx(0.005)


def test_steps_per_phase_cap_counts_calls_per_item_and_phase() -> None:
    settings = ModelSettings(max_steps_per_phase=2)
    model = ScriptedModel(["ok"] * 10)
    session = ModelSession(model, settings, Ledger(), "json")
    session.reply(HELLO, "BL-1", "red")
    session.reply(HELLO, "BL-1", "red")
    session.reply(HELLO, "BL-1", "green")
    with pytest.raises(BudgetExceeded, match="steps in phase red"):
        session.reply(HELLO, "BL-1", "red")
    assert len(model.calls) == 3


def test_tiktoken_counts_when_the_server_reports_no_usage() -> None:
    model = ScriptedModel(["hello world"], model_name="gpt-4o")
    session = ModelSession(model, ModelSettings(), Ledger(), "json")
    session.reply(HELLO, "BL-1", "green")
    assert session.ledger.run.completion_tokens == 2
    assert session.ledger.run.prompt_tokens == 3 + 3 + 1


def test_price_table_longest_prefix_wins_and_local_models_are_free() -> None:
    assert price_for("gpt-4o-mini-2024-07-18") == Price(input=0.15, output=0.60)
    assert price_for("gpt-4o-2024-08-06") == Price(input=2.50, output=10.00)
    assert price_for("qwen2.5-coder-1.5b-instruct") == Price(input=0, output=0)
    assert price_for("unknown") is None
    assert price_for("gpt-4o", {"gpt-4o": Price(input=1, output=1)}) == Price(input=1, output=1)


def test_ledger_survives_serialisation_for_resume() -> None:
    ledger = Ledger()
    ledger.record("BL-1", "green", Usage(10, 5), Price(input=1, output=1))
    again = Ledger.model_validate_json(ledger.model_dump_json())
    assert again.item("BL-1").tokens == 15 and again.steps == {"BL-1/green": 1}
