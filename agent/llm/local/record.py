"""The build record kept beside llama-server: how it was built, on which CPU, where it ran."""

from __future__ import annotations

import json
import time

from pydantic import BaseModel, ValidationError

from agent.llm.local import paths
from agent.llm.local.cpu import CpuInfo
from agent.system.fsutil import atomic_write_text


class Verification(BaseModel):
    """One smoke test the server passed on a CPU."""

    signature: str
    cpu: str
    at: float
    prompt_tps: float
    generation_tps: float


class BuildRecord(BaseModel):
    """What `agent model setup` built, and the CPUs the binary answered on."""

    llama_version: str
    tier: str
    cmake_flags: list[str]
    built_on: str
    built_on_signature: str
    built_on_isa: list[str]
    built_at: float
    build_s: float
    server_args: list[str] = []
    verified: list[Verification] = []

    def verified_on(self, cpu: CpuInfo) -> Verification | None:
        """The latest passed smoke test on a CPU like `cpu`, if any."""
        found = [v for v in self.verified if v.signature == cpu.signature]
        return found[-1] if found else None


def new_record(tier: str, flags: list[str], cpu: CpuInfo, build_s: float) -> BuildRecord:
    """A record of a build just made on `cpu` (not yet verified)."""
    return BuildRecord(
        llama_version=paths.LLAMA_VERSION,
        tier=tier,
        cmake_flags=flags,
        built_on=cpu.model,
        built_on_signature=cpu.signature,
        built_on_isa=cpu.isa,
        built_at=time.time(),
        build_s=round(build_s, 1),
    )


def load_record() -> BuildRecord | None:
    """The record of the cached binary; None when absent or unreadable (an older build)."""
    try:
        data = json.loads(paths.build_record().read_text(encoding="utf-8"))
        return BuildRecord.model_validate(data)
    except (OSError, ValueError, ValidationError):
        return None


def save_record(record: BuildRecord) -> None:
    """Write the record atomically beside the binary."""
    atomic_write_text(paths.build_record(), record.model_dump_json(indent=2) + "\n")


def add_verification(
    record: BuildRecord, cpu: CpuInfo, prompt_tps: float, generation_tps: float
) -> BuildRecord:
    """Record that the binary answered on `cpu`, keeping one entry per CPU signature."""
    entry = Verification(
        signature=cpu.signature,
        cpu=cpu.model,
        at=time.time(),
        prompt_tps=round(prompt_tps, 1),
        generation_tps=round(generation_tps, 1),
    )
    kept = [v for v in record.verified if v.signature != cpu.signature]
    updated = record.model_copy(update={"verified": [*kept, entry]})
    save_record(updated)
    return updated
