"""Settings of the model layer: `[tool.agent.model]`, `.agent.toml [model]`, `AGENT_MODEL__<FIELD>`.

The standard variables `AGENT_MODEL`, `OPENAI_BASE_URL` and `OPENAI_API_KEY` override the files; the
API key is only ever read from the environment, never from a file a user might commit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.config.section import Section

ActionMode = Literal["auto", "native", "json"]


class Price(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    """Price of a million prompt tokens."""
    output: float = Field(ge=0)
    """Price of a million completion tokens."""


DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(input=0.15, output=0.60),
    "gpt-4o": Price(input=2.50, output=10.00),
    "gpt-4.1-nano": Price(input=0.10, output=0.40),
    "gpt-4.1-mini": Price(input=0.40, output=1.60),
    "gpt-4.1": Price(input=2.00, output=8.00),
    "o4-mini": Price(input=1.10, output=4.40),
    "qwen2.5-coder-1.5b-instruct": Price(input=0.0, output=0.0),
}


class ModelSettings(Section):
    """Which model to call, how, and how much a run may spend."""

    name: str = ""
    """Model name; empty: gpt-4o-mini on OpenAI, else the bundled model. Env: AGENT_MODEL."""
    base_url: str = ""
    """OpenAI-compatible endpoint, e.g. http://localhost:11434/v1. Env: OPENAI_BASE_URL."""
    api_key_env: str = "OPENAI_API_KEY"
    """Environment variable holding the API key (keys are never read from files)."""
    action_mode: ActionMode = "auto"
    """native: tool calls; json: one schema-constrained JSON action; auto: native on OpenAI only."""
    temperature: float = Field(default=0.0, ge=0, le=2)
    """Sampling temperature."""
    timeout_s: float = Field(default=300.0, gt=0)
    """Seconds one model call may take."""
    max_retries: int = Field(default=3, ge=0)
    """Retries of a call after 429, 5xx or a connection error (never after other 4xx)."""
    retry_backoff_s: float = Field(default=1.0, ge=0)
    """First retry delay; doubled on each further retry."""
    max_completion_tokens: int = Field(default=1024, gt=0)
    """Upper bound on tokens generated per call."""
    rewrite_completion_tokens: int = Field(default=3072, gt=0)
    """Reply cap of a whole-file rewrite whose file needs more than max_completion_tokens; a
    file is rewritten whole only when its tokens fit this with a margin (else search/replace)."""
    context_window: int = Field(default=8192, gt=256)
    """Tokens the model reads and writes per call; older turns are truncated to fit."""
    tool_output_tokens: int = Field(default=1500, gt=16)
    """Tool output older than the latest turn is cut to this many tokens."""
    max_tokens_per_item: int = Field(default=200_000, gt=0)
    """Hard cap on prompt + completion tokens spent on one backlog item."""
    max_tokens_per_run: int = Field(default=1_000_000, gt=0)
    """Hard cap on tokens spent in one run."""
    max_cost_per_item: float = Field(default=1.0, ge=0)
    """Hard cap in US dollars per backlog item."""
    max_cost_per_run: float = Field(default=5.0, ge=0)
    """Hard cap in US dollars per run."""
    max_steps_per_phase: int = Field(default=12, gt=0)
    """Model calls allowed in one phase of the micro cycle for one item."""
    prices: dict[str, Price] = Field(default_factory=dict)
    """Extra or overriding prices per model name (longest prefix wins) on top of DEFAULT_PRICES."""
    local_port: int = Field(default=0, ge=0, le=65535)
    """Port of the bundled server; 0 picks a free one."""
    local_threads: int = Field(default=2, gt=0)
    """CPU threads of the bundled server."""
