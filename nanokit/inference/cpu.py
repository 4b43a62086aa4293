"""What this CPU can do fast: native bf16 (AVX512-BF16 or AMX) and int8 dot products (VNNI)."""

from __future__ import annotations

import platform
from functools import lru_cache
from pathlib import Path

#: /proc/cpuinfo flags that make bf16 matrix maths native rather than emulated.
BF16_FLAGS = ("avx512_bf16", "amx_bf16")
#: flags that give int8 dot-product instructions (int8 ONNX models gain most with them).
VNNI_FLAGS = ("avx512_vnni", "avx_vnni", "amx_int8")
#: the flags that decide how fast a network runs, in the order :func:`describe_cpu` lists them.
SPEED_FLAGS = ("avx2", "fma", "avx512f", *BF16_FLAGS, *VNNI_FLAGS, "amx_tile")


@lru_cache(maxsize=1)
def _cpuinfo() -> dict[str, str]:
    """The first processor's ``key: value`` lines of /proc/cpuinfo (empty where unreadable)."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return {}
    info: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def cpu_flags() -> frozenset[str]:
    """The CPU feature flags listed in /proc/cpuinfo (empty where it cannot be read)."""
    return frozenset(_cpuinfo().get("flags", "").split())


def cpu_model() -> str:
    """The CPU's model name (/proc/cpuinfo, else ``platform.processor()``)."""
    return _cpuinfo().get("model name") or platform.processor() or "unknown CPU"


def describe_cpu(flags: frozenset[str] | None = None) -> str:
    """One line naming this CPU's model and the speed-relevant flags it has (or of ``flags``)."""
    flags = cpu_flags() if flags is None else flags
    present = [flag for flag in SPEED_FLAGS if flag in flags]
    return f"{cpu_model()} ({platform.machine()}; {', '.join(present) or 'no AVX2'})"


def has_native_bf16(flags: frozenset[str] | None = None) -> bool:
    """True where the CPU computes bf16 natively (AVX512-BF16 or AMX-BF16).

    Args:
        flags: CPU flags to judge; None = this CPU's (:func:`cpu_flags`).
    """
    flags = cpu_flags() if flags is None else flags
    return any(flag in flags for flag in BF16_FLAGS)


def has_amx_bf16(flags: frozenset[str] | None = None) -> bool:
    """True where the CPU has AMX tiles with bf16 (Intel Xeon since Sapphire Rapids).

    Args:
        flags: CPU flags to judge; None = this CPU's (:func:`cpu_flags`).
    """
    flags = cpu_flags() if flags is None else flags
    return "amx_bf16" in flags


def has_int8_dot(flags: frozenset[str] | None = None) -> bool:
    """True where the CPU has int8 dot-product instructions (AVX512-VNNI, AVX-VNNI or AMX).

    Args:
        flags: CPU flags to judge; None = this CPU's (:func:`cpu_flags`).
    """
    flags = cpu_flags() if flags is None else flags
    return any(flag in flags for flag in VNNI_FLAGS)
