"""Command line: ``python -m sim.analytics.forecast train --all [--seed 42]``; ``... recard``.

``train`` validates, fits and (if the promotion rule allows) serves models; see
:mod:`sim.analytics.forecast.train`. It prints a table of the mean log loss over the latest folds
of the candidate, each baseline and the served model, the pooled accuracy, and the decision.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.analytics.forecast.data import SHIPPED_SYMBOLS
from sim.analytics.forecast.model import DEFAULT_SEED
from sim.analytics.forecast.registry import MODELS_DIR
from sim.analytics.forecast.train import HORIZONS, summary_table, train_all


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.analytics.forecast")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="validate, fit and maybe promote models")
    which = train.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="the five shipped symbols")
    which.add_argument("--symbol", action="append", help="a symbol (repeatable)")
    train.add_argument("--horizon", type=int, action="append", help="bars ahead (default 1 and 4)")
    train.add_argument("--seed", type=int, default=DEFAULT_SEED)
    train.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    train.add_argument("--data-dir", type=Path, default=None, help="default data/sample")
    recard = commands.add_parser("recard", help="add the skill split to every card (models unchanged)")
    recard.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    pooled = commands.add_parser("pooled", help="the pooled model with its leave-one-symbol-out record")
    pooled.add_argument("--horizon", type=int, action="append", help="bars ahead (default 1 and 4)")
    pooled.add_argument("--seed", type=int, default=DEFAULT_SEED)
    pooled.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    args = parser.parse_args(argv)
    if args.command == "pooled":
        from sim.analytics.forecast.pooled import train_pooled

        for h in args.horizon or HORIZONS:
            card = train_pooled(h, seed=args.seed, models_dir=args.models_dir)
            print(f"{card['model_id']} ({card['seconds']} s), leave-one-symbol-out:")
            for name, rec in [
                *card["validation"]["loso"]["per_symbol"].items(),
                ("all", card["validation"]["loso"]["all"]),
            ]:
                split = rec["skill_split"]
                print(
                    f"  {name}: log loss {rec['scores']['xgboost']['log_loss']:.5f} vs climatology "
                    f"{rec['scores']['majority']['log_loss']:.5f}; "
                    + "; ".join(
                        f"{k} {v['skill']:+.4f} [{v['low']:+.4f}, {v['high']:+.4f}]" for k, v in split.items()
                    )
                )
        return 0
    if args.command == "recard":
        from sim.analytics.forecast.recard import card_paths
        from sim.analytics.forecast.recard import recard as rescore

        for path in card_paths(args.models_dir):
            card = rescore(path, args.models_dir)
            split = card["validation"]["skill_split"]["models"]["xgboost"]
            print(
                f"{card['model_id']}: "
                + "; ".join(
                    f"{k} {v['skill']:+.4f} [{v['low']:+.4f}, {v['high']:+.4f}]" for k, v in split.items()
                )
            )
            print(f"  {card['promotion']['reason']}")
        return 0
    symbols = SHIPPED_SYMBOLS if args.all else tuple(args.symbol)
    results = train_all(
        symbols,
        tuple(args.horizon or HORIZONS),
        seed=args.seed,
        models_dir=args.models_dir,
        data_dir=args.data_dir,
    )
    print(summary_table(results))
    print()
    for r in results:
        print(f"{r.key}: {r.decision.reason}; served: {r.served_id or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
