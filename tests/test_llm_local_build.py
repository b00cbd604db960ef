"""Which llama.cpp build is chosen for a CPU, and what is recorded about it (no build runs)."""

from __future__ import annotations

from agent.llm.local.buildconfig import X86_SWITCHES, cmake_flags, plan, tier_named, tiers_for
from agent.llm.local.cpu import read_cpu

# Flags of the machine where a native build trapped: AVX-512 and AMX reported, AMX not usable.
XEON = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 popcnt avx f16c bmi1 avx2 bmi2 hypervisor \
avx512f avx512dq avx512cd avx512bw avx512vl avx512vbmi avx512_vnni avx512_bf16 avx512_fp16 \
amx_bf16 amx_tile amx_int8 avx_vnni
bugs\t\t: spectre_v1

processor\t: 1
model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags\t\t: fpu sse
"""
EPYC = """processor\t: 0
model name\t: AMD EPYC
flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 popcnt avx f16c bmi1 avx2 bmi2 smep hypervisor
"""
OLD = "model name\t: Old\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt\n"


def _switches(flags: list[str]) -> dict[str, str]:
    pairs = [f.removeprefix("-DGGML_").split("=") for f in flags if f.startswith("-DGGML_")]
    return dict((name, value) for name, value in pairs)


def test_the_amx_xeon_gets_avx512_with_every_switch_explicit_and_never_amx() -> None:
    cpu = read_cpu(XEON, "x86_64")
    first, fallback = plan(cpu)
    assert (first.name, fallback and fallback.name) == ("x86-avx512", "x86-avx2")
    switches = _switches(cmake_flags(first, cpu))
    assert switches["NATIVE"] == "OFF" and set(X86_SWITCHES) <= set(switches)
    assert {n for n, v in switches.items() if v == "ON"} == {
        "SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512",
        "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16"}  # fmt: skip
    assert all(switches[name] == "OFF" for name in ("AMX_TILE", "AMX_INT8", "AMX_BF16"))
    fallback_on = {n for n, v in _switches(cmake_flags(tier_named("x86-avx2"), cpu)).items()
                   if v == "ON"}  # fmt: skip
    assert "AVX512" not in fallback_on and "AVX_VNNI" in fallback_on


def test_a_cpu_without_avx512_gets_avx2_and_one_without_avx_gets_sse42() -> None:
    assert [t.name for t in plan(read_cpu(EPYC, "x86_64")) if t] == ["x86-avx2", "x86-avx"]
    old = read_cpu(OLD, "x86_64")
    assert [t.name for t in plan(old) if t] == ["x86-sse42", "x86-64"]
    assert plan(read_cpu("", "x86_64"))[0].name == "x86-64"


def test_stepping_down_from_a_tier_this_cpu_does_not_have() -> None:
    epyc = read_cpu(EPYC, "x86_64")
    assert plan(epyc, below="x86-avx512")[0].name == "x86-avx2", "built on a bigger CPU"
    assert plan(epyc, below="x86-avx2")[0].name == "x86-avx"
    assert plan(epyc, below="x86-64") == (tier_named("x86-64"), None), "nothing is below"


def test_other_architectures_build_native_then_generic() -> None:
    arm = read_cpu("Features\t: fp asimd sve i8mm\n", "arm64")
    first, fallback = plan(arm)
    assert cpu_flags_of(cmake_flags(first, arm)) == "-DGGML_NATIVE=ON"
    assert fallback is not None and cpu_flags_of(cmake_flags(fallback, arm)) == "-DGGML_NATIVE=OFF"
    assert arm.arch == "aarch64" and arm.isa == ["asimd", "i8mm", "sve"]


def cpu_flags_of(flags: list[str]) -> str:
    return " ".join(f for f in flags if f.startswith("-DGGML_"))


def test_the_cpu_signature_follows_instruction_sets_not_host_details() -> None:
    xeon = read_cpu(XEON, "x86_64")
    assert xeon.model.startswith("Intel(R) Xeon(R)") and "amx_tile" in xeon.isa
    assert "hypervisor" not in xeon.isa and "smep" not in read_cpu(EPYC, "x86_64").isa
    same_isa = read_cpu(XEON.replace(" hypervisor", ""), "x86_64")
    assert same_isa.signature == xeon.signature
    assert read_cpu(XEON.replace(" amx_tile", ""), "x86_64").signature != xeon.signature
    assert tiers_for(xeon)[0].name == "x86-avx512"
