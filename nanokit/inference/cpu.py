"""What this CPU can do fast: native bf16 (AVX512-BF16 or AMX) and int8 dot products (VNNI)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

#: /proc/cpuinfo flags that make bf16 matrix maths native rather than emulated.
BF16_FLAGS = ("avx512_bf16", "amx_bf16")
#: flags that give int8 dot-product instructions (int8 ONNX models gain most with them).
VNNI_FLAGS = ("avx512_vnni", "avx_vnni", "amx_int8")


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU feature flags listed in /proc/cpuinfo (empty where it cannot be read)."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def has_native_bf16() -> bool:
    """True where the CPU computes bf16 natively (AVX512-BF16 or AMX-BF16)."""
    return any(flag in cpu_flags() for flag in BF16_FLAGS)


def has_int8_dot() -> bool:
    """True where the CPU has int8 dot-product instructions (AVX512-VNNI, AVX-VNNI or AMX)."""
    return any(flag in cpu_flags() for flag in VNNI_FLAGS)
