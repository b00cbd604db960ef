"""What this machine's CPU reports: architecture, model name and instruction-set flags."""

from __future__ import annotations

import hashlib
import platform
import re
from dataclasses import dataclass
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
# Flags that decide which instructions a build may use; the rest (bugs, virtualisation,
# power management) differ between hosts of one kind without changing what runs.
ISA_FLAG = re.compile(
    r"^(sse\w*|ssse3|avx\w*|amx\w*|fma|f16c|bmi\d|movbe|popcnt|"
    r"asimd\w*|fphp|sve\w*|sme|sme[0-9fib_]\w*|i8mm|bf16|dotprod|fp16)$"
)


@dataclass(frozen=True)
class CpuInfo:
    """The CPU a build was made on or a server is about to run on."""

    arch: str
    model: str
    flags: frozenset[str]

    @property
    def isa(self) -> list[str]:
        """The instruction-set flags, sorted."""
        return sorted(flag for flag in self.flags if ISA_FLAG.match(flag))

    @property
    def signature(self) -> str:
        """A short stable id of the architecture and instruction sets (not of the host)."""
        text = " ".join([self.arch, *self.isa])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def has(self, *flags: str) -> bool:
        """True when the CPU reports every one of `flags`."""
        return all(flag in self.flags for flag in flags)


def read_cpu(cpuinfo: str | None = None, machine: str | None = None) -> CpuInfo:
    """Read /proc/cpuinfo (or the given text) for the first processor's model and flags."""
    arch = _arch(machine or platform.machine())
    if cpuinfo is None:
        try:
            cpuinfo = CPUINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    fields = _first_processor(cpuinfo)
    model = fields.get("model name") or fields.get("cpu model") or platform.processor() or arch
    flags = fields.get("flags") or fields.get("features") or ""
    return CpuInfo(arch, model, frozenset(flags.split()))


def _arch(machine: str) -> str:
    lowered = machine.lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(lowered, lowered)


def _first_processor(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if fields.get("flags") or fields.get("features"):
                break
            continue
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip().lower(), value.strip())
    return fields
