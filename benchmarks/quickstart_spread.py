"""How much the quickstart training's outcome depends on its seed: several seeds, in parallel.

Each run is ``nanokit run configs/quickstart.py`` (train and test stages) with one
``randomness.seed`` and the overrides of one variant, all on the same synthetic data set (made
once under ``--work``). Prints, per variant, the test IoU/F1 of every seed and their spread, and
writes ``OUT/spread.jsonl`` (one line per run as it ends) and ``OUT/spread.md``.

    python benchmarks/quickstart_spread.py --out OUT --seeds 0,1,2,3 --jobs 4 \
        --variant base= --variant lr1e-3=optim_wrapper.optimizer.lr=0.001
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from mmengine.config import Config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nanokit.apis._seg_data import prepare_data  # noqa: E402
from nanokit.inference.cpu import describe_cpu  # noqa: E402

CONFIG = ROOT / "configs" / "quickstart.py"
CLI = "from nanokit.cli.main import cli; cli()"


def parse_variant(text: str) -> tuple[str, list[str]]:
    """``NAME=k1=v1;k2=v2`` -> (NAME, ["k1=v1", "k2=v2"]); ``NAME=`` is the config as it is."""
    name, _, opts = text.partition("=")
    return name, [o for o in opts.split(";") if o]


def run_one(variant: str, opts: list[str], seed: int, data: Path, work: Path) -> dict:
    """One training + test run; returns its row (test metrics or the error's last line)."""
    work_dir = work / f"{variant}_seed{seed}"
    args = [sys.executable, "-c", CLI, "--quiet", "run", str(CONFIG), "--work-dir", str(work_dir)]
    for opt in [f"randomness.seed={seed}", f"data_root={data}", "stages=['train','test']", *opts]:
        args += ["--cfg-options", opt]
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    row = dict(variant=variant, seed=seed, wall_s=round(time.perf_counter() - start, 1))
    metrics = work_dir / "metrics.json"
    if proc.returncode != 0 or not metrics.is_file():
        tail = (proc.stderr or proc.stdout).strip().splitlines()
        return dict(row, error=tail[-1] if tail else f"exit {proc.returncode}")
    m = json.loads(metrics.read_text())["metrics"]
    curves = json.loads((work_dir / "curves.json").read_text())
    return dict(row, IoU=m["IoU"], F1=m["F1"], val_IoU=curves["val"]["IoU"])


def table(rows: list[dict]) -> str:
    """Markdown: one line per variant with every seed's test IoU, mean, min and max."""
    lines = [
        "| variant | test IoU per seed | mean | min | max | failed |",
        "|---|---|---|---|---|---|",
    ]
    for variant in dict.fromkeys(r["variant"] for r in rows):
        done = sorted((r for r in rows if r["variant"] == variant), key=lambda r: r["seed"])
        ious = [r["IoU"] for r in done if "IoU" in r]
        per_seed = ", ".join(f"{r['seed']}: {r['IoU']:.3f}" for r in done if "IoU" in r)
        stats = (
            f"{statistics.mean(ious):.3f} | {min(ious):.3f} | {max(ious):.3f}"
            if ious
            else "- | - | -"
        )
        lines.append(f"| {variant} | {per_seed} | {stats} | {len(done) - len(ious)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("work_dirs/quickstart_spread"))
    parser.add_argument("--seeds", default="0,1,2,3")
    parser.add_argument("--variant", action="append", default=[], help="NAME=k=v;k=v")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    variants = [parse_variant(v) for v in args.variant or ["base="]]
    seeds = [int(s) for s in args.seeds.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    cfg = Config.fromfile(str(CONFIG))
    cfg.data_root = str(args.work / "data")
    prepare_data(cfg)
    jobs = [(name, opts, seed) for name, opts in variants for seed in seeds]
    rows: list[dict] = []
    with ThreadPoolExecutor(args.jobs) as pool, (args.out / "spread.jsonl").open("a") as log:
        futures = [
            pool.submit(run_one, n, o, s, Path(cfg.data_root).resolve(), args.work.resolve())
            for n, o, s in jobs
        ]
        for future in as_completed(futures):
            row = future.result()
            rows.append(row)
            log.write(json.dumps(row) + "\n")
            log.flush()
            print(json.dumps({k: v for k, v in row.items() if k != "val_IoU"}), flush=True)
    text = table(rows)
    (args.out / "spread.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
