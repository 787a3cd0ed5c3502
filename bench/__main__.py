"""``python -m bench [name ...]``: run the benchmarks, then gather their tables into RESULTS.md.

Each ``bench_<name>.py`` runs its anchor in the same run and writes ``results/<name>.md``;
``python -m bench --collect`` only rebuilds RESULTS.md from the files already there.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent
ORDER = [
    "ledger",
    "matcher",
    "pipeline",
    "history",
    "app",
    "pages",
    "universe",
    "load",
    "forecast",
    "backtest",
]


def collect() -> Path:
    parts = [
        "# Benchmark results",
        "",
        "Latest run of each benchmark, with its anchor measured in the same run. Regenerate with",
        "`make bench` (all) or `.venv/bin/python -m bench.bench_<name>` (one), then",
        "`.venv/bin/python -m bench --collect`.",
        "",
    ]
    for name in ORDER:
        path = HERE / "results" / f"{name}.md"
        if path.exists():
            text = path.read_text().strip()
            parts += ["#" + text if text.startswith("# ") else text, ""]
    out = HERE / "RESULTS.md"
    out.write_text("\n".join(parts))
    return out


def main(argv: list[str]) -> int:
    if "--collect" not in argv:
        for name in argv or ORDER:
            module = HERE / f"bench_{name}.py"
            if module.exists():
                print(f"== bench_{name}", flush=True)
                runpy.run_module(f"bench.bench_{name}", run_name="__main__")
    print(f"wrote {collect()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
