"""Which endpoint, key, model and action mode a run uses."""

from __future__ import annotations

from agent.config.model import ModelSettings
from agent.llm.endpoint import BUNDLED_MODEL, resolve_endpoint


def test_no_key_and_no_base_url_means_the_bundled_model_in_json_mode() -> None:
    endpoint = resolve_endpoint(ModelSettings(), env={})
    assert endpoint.bundled and endpoint.model == BUNDLED_MODEL and endpoint.action_mode == "json"


def test_openai_key_means_openai_in_native_mode() -> None:
    endpoint = resolve_endpoint(
        ModelSettings(), env={"OPENAI_API_KEY": "k", "AGENT_MODEL": "gpt-4.1"}
    )
    assert not endpoint.bundled and endpoint.is_openai
    assert endpoint.model == "gpt-4.1" and endpoint.action_mode == "native"


def test_compatible_server_defaults_to_json_and_config_can_force_native() -> None:
    env = {"OPENAI_BASE_URL": "http://localhost:11434/v1", "AGENT_MODEL": "qwen2.5-coder"}
    assert resolve_endpoint(ModelSettings(), env).action_mode == "json"
    forced = resolve_endpoint(ModelSettings(action_mode="native"), env)
    assert forced.action_mode == "native" and forced.base_url.endswith("/v1")


def test_environment_overrides_the_settings_file() -> None:
    settings = ModelSettings(name="from-file", base_url="http://file/v1")
    endpoint = resolve_endpoint(settings, {"AGENT_MODEL": "from-env"})
    assert endpoint.model == "from-env" and endpoint.base_url == "http://file/v1"
