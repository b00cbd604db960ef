"""Token and cost accounting per call, item and run, and the hard caps checked before each call."""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from agent.config.model import DEFAULT_PRICES, ModelSettings, Price
from agent.llm.protocol import Usage

FREE = Price(input=0.0, output=0.0)
MIN_CALIBRATION_TOKENS = 256


class BudgetExceeded(Exception):
    """A model call was not made because it could cross a cap; the item ends BLOCKED ("budget")."""

    reason = "budget"

    def __init__(self, cap: str, limit: float, projected: float, item_id: str) -> None:
        super().__init__(
            f"budget: {cap} cap {limit:g} would be crossed (projected {projected:g}) on {item_id}"
        )
        self.cap = cap
        self.limit = limit
        self.projected = projected
        self.item_id = item_id


class Tally(BaseModel):
    """Tokens, cost and calls summed over some scope."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def add(self, usage: Usage, cost_usd: float) -> None:
        """Count one call."""
        self.calls += 1
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.cost_usd += cost_usd


def price_for(model: str, overrides: dict[str, Price] | None = None) -> Price | None:
    """The price of `model`: the longest matching name prefix in the table, or None if unknown."""
    table = {**DEFAULT_PRICES, **(overrides or {})}
    matches = [name for name in table if model == name or model.startswith(name)]
    return table[max(matches, key=len)] if matches else None


def cost_of(usage: Usage, price: Price) -> float:
    """Dollars for `usage` at `price` (per million tokens)."""
    return (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1e6


class Ledger(BaseModel):
    """Spend of one run; serialisable so a resumed run continues with the same totals."""

    run: Tally = Field(default_factory=Tally)
    items: dict[str, Tally] = Field(default_factory=dict)
    steps: dict[str, int] = Field(default_factory=dict)
    prompt_ratio: float = 1.0
    """Largest seen ratio of server-counted to estimated prompt tokens (tokenizers differ)."""

    def item(self, item_id: str) -> Tally:
        """The tally of one item (created empty on first use)."""
        return self.items.setdefault(item_id, Tally())

    def steps_taken(self, item_id: str, phase: str) -> int:
        """Model calls already counted against `phase` of an item (a resumed run has some)."""
        return self.steps.get(_step_key(item_id, phase), 0)

    def check(
        self,
        settings: ModelSettings,
        price: Price,
        item_id: str,
        phase: str,
        prompt_tokens: int,
        reply_cap: int | None = None,
    ) -> None:
        """Raise BudgetExceeded if the next call, at its largest, could cross any cap.

        `reply_cap` is the call's own completion limit (default: max_completion_tokens).
        """
        steps = self.steps.get(_step_key(item_id, phase), 0) + 1
        if steps > settings.max_steps_per_phase:
            cap = settings.max_steps_per_phase
            raise BudgetExceeded(f"steps in phase {phase}", cap, steps, item_id)
        completion = reply_cap or settings.max_completion_tokens
        worst = Usage(math.ceil(prompt_tokens * self.prompt_ratio), completion)
        extra_cost = cost_of(worst, price)
        item = self.item(item_id)
        caps = (
            ("tokens per item", settings.max_tokens_per_item, item.tokens + worst.total),
            ("tokens per run", settings.max_tokens_per_run, self.run.tokens + worst.total),
            ("cost per item", settings.max_cost_per_item, item.cost_usd + extra_cost),
            ("cost per run", settings.max_cost_per_run, self.run.cost_usd + extra_cost),
        )
        for name, limit, projected in caps:
            if projected > limit:
                raise BudgetExceeded(name, limit, projected, item_id)

    def record(
        self, item_id: str, phase: str, usage: Usage, price: Price, estimate: int = 0
    ) -> float:
        """Count a finished call against its item, phase and the run; return its cost."""
        if estimate >= MIN_CALIBRATION_TOKENS:  # small prompts are dominated by template overhead
            self.prompt_ratio = max(self.prompt_ratio, usage.prompt_tokens / estimate)
        cost = cost_of(usage, price)
        self.run.add(usage, cost)
        self.item(item_id).add(usage, cost)
        key = _step_key(item_id, phase)
        self.steps[key] = self.steps.get(key, 0) + 1
        return cost


def _step_key(item_id: str, phase: str) -> str:
    return f"{item_id}/{phase}"
