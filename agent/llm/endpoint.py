"""Decide the endpoint, model, key and action mode of a run from settings and the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from agent.config.model import ModelSettings

BUNDLED_MODEL = "qwen2.5-coder-1.5b-instruct"
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
LOCAL_PLACEHOLDER_KEY = "local-no-key"


@dataclass(frozen=True)
class Endpoint:
    """A resolved endpoint; `bundled` means the local server must be started by the agent."""

    base_url: str
    api_key: str
    model: str
    bundled: bool
    action_mode: Literal["native", "json"]

    @property
    def is_openai(self) -> bool:
        """True for the official OpenAI API (no base URL or api.openai.com)."""
        return not self.bundled and (not self.base_url or "api.openai.com" in self.base_url)


def resolve_endpoint(settings: ModelSettings, env: Mapping[str, str] | None = None) -> Endpoint:
    """Apply AGENT_MODEL / OPENAI_BASE_URL / the API key variable over the settings."""
    env = os.environ if env is None else env
    name = env.get("AGENT_MODEL", "").strip() or settings.name
    base_url = env.get("OPENAI_BASE_URL", "").strip() or settings.base_url
    api_key = env.get(settings.api_key_env, "").strip()
    bundled = not base_url and not api_key
    if bundled:
        name = name or BUNDLED_MODEL
        api_key = LOCAL_PLACEHOLDER_KEY
    elif not base_url:
        name = name or OPENAI_DEFAULT_MODEL
    else:
        api_key = api_key or LOCAL_PLACEHOLDER_KEY
        name = name or BUNDLED_MODEL
    mode = settings.action_mode
    if mode == "auto":
        official = not bundled and (not base_url or "api.openai.com" in base_url)
        mode = "native" if official else "json"
    return Endpoint(base_url, api_key, name, bundled, mode)
