"""Build llama-server for this CPU and prove it answers, stepping down once when it does not.

The rungs, tried in order until one answers the smoke test:
the tier chosen for this CPU; the same binary without weight repacking; one tier down
(a second build), without repacking. A binary built elsewhere is tried as it is first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agent.errors import AgentError, InputError
from agent.llm.local import paths
from agent.llm.local.build import build_server, built_record
from agent.llm.local.buildconfig import Tier, plan, tier_named
from agent.llm.local.cpu import CpuInfo, read_cpu
from agent.llm.local.crash import ServerCrashError
from agent.llm.local.launch import NO_REPACK, attempt
from agent.llm.local.record import BuildRecord, add_verification, save_record
from agent.llm.local.server import stop_server
from agent.llm.local.smoke import BadReplyError, Probe

SMOKE = "smoke"
Builder = Callable[[Tier, CpuInfo, Callable[[str], None]], BuildRecord]


@dataclass(frozen=True)
class Rung:
    """One configuration to try: a build tier and the server arguments to run it with."""

    tier: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join((self.tier, *self.args))


@dataclass(frozen=True)
class LadderResult:
    """What setup did to the server and what the smoke test measured."""

    action: str
    record: BuildRecord
    probe: Probe | None
    notes: list[str] = field(default_factory=list)


def rungs(cpu: CpuInfo, existing: BuildRecord | None) -> list[Rung]:
    """The configurations to try on `cpu`, given the binary already cached (if any)."""
    if existing is not None:
        tried = [Rung(existing.tier, tuple(existing.server_args))]
        if NO_REPACK not in existing.server_args:
            tried.append(Rung(existing.tier, (*existing.server_args, NO_REPACK)))
        below, _ = plan(cpu, below=existing.tier)
        return [*tried, Rung(below.name, (NO_REPACK,))]
    first, fallback = plan(cpu)
    tried = [Rung(first.name), Rung(first.name, (NO_REPACK,))]
    return tried + ([Rung(fallback.name, (NO_REPACK,))] if fallback else [])


def prove_server(
    show: Callable[[str], None], rebuild: bool = False, threads: int = 2,
    build: Builder = build_server,
) -> LadderResult:  # fmt: skip
    """Make sure a llama-server that answers on this CPU is cached; build it if needed."""
    cpu = read_cpu()
    existing = None if rebuild else built_record()
    if existing is not None and existing.verified_on(cpu) is not None:
        return LadderResult("already built and verified on this CPU", existing, None)
    record, failures, action = existing, list[tuple[Rung, AgentError]](), "verified on this CPU"
    for rung in rungs(cpu, existing):
        if record is None or record.tier != rung.tier:
            record, action = build(tier_named(rung.tier), cpu, show), "built from source"
        show(f"Smoke test: llama-server {rung}")
        try:
            _info, seen = attempt(rung.args, threads, SMOKE)
        except (ServerCrashError, BadReplyError) as exc:
            failures.append((rung, exc))
            continue
        stop_server(SMOKE)
        save_record(record := record.model_copy(update={"server_args": list(rung.args)}))
        record = add_verification(record, cpu, seen.prompt_tps, seen.generation_tps)
        return LadderResult(action, record, seen, [f"{r}: {e.lines[0]}" for r, e in failures])
    raise _no_rung_ran(cpu, failures)


def _no_rung_ran(cpu: CpuInfo, failures: list[tuple[Rung, AgentError]]) -> InputError:
    last = failures[-1][1].lines[1:] if failures else []
    return InputError(
        f"no llama-server build runs on this machine ({cpu.model}; {' '.join(cpu.isa)}):",
        *(f"- {rung}: {exc.lines[0]}" for rung, exc in failures),
        *last,
        f"Logs: {paths.server_log(SMOKE)}, {paths.build_log()}. Meanwhile the agent can use any "
        "OpenAI-compatible server: set OPENAI_BASE_URL (docs/configuration.md).",
    )
