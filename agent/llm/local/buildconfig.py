"""Which llama.cpp CPU build to make for this machine, and the one to fall back to.

ADR 0010 explains the choice: an explicit instruction-set list per tier (`GGML_NATIVE=OFF`),
never AMX, chosen from the flags the kernel reports; a smoke test decides whether it runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.llm.local.cpu import CpuInfo

COMMON_FLAGS = (
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
)
# Every x86 switch is set explicitly: with GGML_NATIVE=OFF most default to ON.
X86_SWITCHES = (
    *("SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX_VNNI", "AVX512"),
    *("AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16", "AMX_TILE", "AMX_INT8", "AMX_BF16"),
)
# The switches a tier may use when the CPU reports the matching /proc/cpuinfo flag.
OPTIONAL = {"AVX_VNNI": "avx_vnni", "AVX512_VBMI": "avx512vbmi",
            "AVX512_VNNI": "avx512_vnni", "AVX512_BF16": "avx512_bf16"}  # fmt: skip


@dataclass(frozen=True)
class Tier:
    """One build configuration: the switches it turns on and the CPU flags they need."""

    name: str
    switches: tuple[str, ...]
    requires: tuple[str, ...]
    optional: tuple[str, ...] = ()


X86_TIERS = (
    Tier("x86-avx512", ("SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512"),
         ("sse4_2", "avx", "f16c", "fma", "avx2", "bmi2",
          "avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"),
         ("AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16")),
    Tier("x86-avx2", ("SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2"),
         ("sse4_2", "avx", "f16c", "fma", "avx2", "bmi2"), ("AVX_VNNI",)),
    Tier("x86-avx", ("SSE42", "AVX"), ("sse4_2", "avx")),
    Tier("x86-sse42", ("SSE42",), ("sse4_2",)),
    Tier("x86-64", (), ()),
)  # fmt: skip
OTHER_TIERS = (Tier("native", (), ()), Tier("generic", (), ()))


def tiers_for(cpu: CpuInfo) -> list[Tier]:
    """The tiers this CPU can run, fastest first."""
    if cpu.arch != "x86_64":
        return list(OTHER_TIERS)
    return [tier for tier in X86_TIERS if cpu.has(*tier.requires)]


def plan(cpu: CpuInfo, below: str | None = None) -> tuple[Tier, Tier | None]:
    """The tier to build first and the safe fallback one step down (none at the bottom).

    With `below`, start under that tier: a build of it was tried and did not run here.
    """
    tiers = tiers_for(cpu)
    order = [tier.name for tier in (*X86_TIERS, *OTHER_TIERS)]
    if below in order:
        tiers = [tier for tier in tiers if order.index(tier.name) > order.index(below)]
    if not tiers:
        tiers = [X86_TIERS[-1] if cpu.arch == "x86_64" else OTHER_TIERS[-1]]
    return tiers[0], (tiers[1] if len(tiers) > 1 else None)


def cmake_flags(tier: Tier, cpu: CpuInfo) -> list[str]:
    """The cmake -D flags that build `tier` for `cpu`."""
    if tier.name == "native":
        return [*COMMON_FLAGS, "-DGGML_NATIVE=ON"]
    flags = [*COMMON_FLAGS, "-DGGML_NATIVE=OFF"]
    if cpu.arch != "x86_64":
        return flags
    on = set(tier.switches) | {s for s in tier.optional if cpu.has(OPTIONAL[s])}
    return flags + [f"-DGGML_{name}={'ON' if name in on else 'OFF'}" for name in X86_SWITCHES]


def tier_named(name: str) -> Tier:
    """The tier called `name`."""
    for tier in (*X86_TIERS, *OTHER_TIERS):
        if tier.name == name:
            return tier
    raise ValueError(f"unknown llama-server build tier {name!r}")
