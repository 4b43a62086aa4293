"""Listing registered components for ``nanokit list``."""

from __future__ import annotations

from ..errors import NanokitError


def describe_components(registry: str | None = None) -> str:
    """A text table of registries, their components and each component's package.

    Args:
        registry: one registry name (``ATTENTION``, ``attention`` ...) or None for all.
    """
    from ..plugins import load_plugins, origin_of
    from ..registry import REGISTRIES

    records = load_plugins()
    names = list(REGISTRIES)
    if registry is not None:
        wanted = registry.upper().replace("-", "_")
        if wanted not in REGISTRIES:
            raise NanokitError(f"unknown registry {registry!r}; choose from {', '.join(names)}")
        names = [wanted]
    lines: list[str] = []
    for name in names:
        reg = REGISTRIES[name]
        reg.import_from_location()
        lines.append(f"{name} ({len(reg.module_dict)})")
        for comp, cls in sorted(reg.module_dict.items()):
            lines.append(f"  {comp:<32} {origin_of(cls)}")
    failed = [r for r in records if not r.ok]
    if registry is None and records:
        lines.append("PLUGINS")
        for rec in records:
            state = "ok" if rec.ok else f"FAILED: {rec.error}"
            lines.append(f"  {rec.name:<32} {rec.distribution} ({rec.module}) {state}")
    elif failed:
        lines.append(f"({len(failed)} plugin(s) failed to load; run 'nanokit list' for details)")
    return "\n".join(lines)
