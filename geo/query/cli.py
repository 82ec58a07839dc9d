"""The filter options every command line shares (export, render, register), with the app's meaning.

`--plan`, `--phase`, `--status`, `--layer` each take one or more values (repeat the option or separate
with commas); left out means everything. Unknown values end the command with a clear message.
`--stated-phases-only` counts only mentions whose phase the plan states (the app's "only phases the plans
state"; geo.query.selection).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from geo.query.selection import Selection
from geo.sources.mapdata import MapData

FILTERS = {"plan": "plans", "phase": "phases", "status": "statuses", "layer": "layers"}


class UsageError(Exception):
    """A bad command-line request; the message is shown as is and the command exits 2."""


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("selection (as the app's filters; default: everything)")
    for option, field in FILTERS.items():
        group.add_argument(
            f"--{option}",
            action="append",
            default=[],
            metavar=option.upper(),
            help=f"only these {field} (repeat or comma-separate)",
        )
    group.add_argument(
        "--stated-phases-only",
        action="store_true",
        help="only phases the plans state (in the quote or its section), not those inferred from the plan period or wording",
    )


def add_theme_argument(parser: argparse.ArgumentParser, default: str | None) -> None:
    """--theme: a thematic map of layers/meta/themes.yaml (structure, transport, ecology, industry, all)."""
    from geo.style.themes import load_themes

    ids = load_themes().ids
    parser.add_argument(
        "--theme",
        default=default,
        metavar="THEME",
        help=f"thematic map: {', '.join(ids)} (default {default or 'none: every layer'})",
    )


def theme_from_args(args: argparse.Namespace) -> str | None:
    from geo.style.themes import load_themes

    if args.theme is not None and args.theme not in load_themes().ids:
        raise UsageError(f"unknown --theme {args.theme} (known: {', '.join(load_themes().ids)})")
    return args.theme


def selection_from_args(args: argparse.Namespace, data: MapData) -> Selection:
    everything = Selection.everything(data)
    selection = everything
    for option, field in FILTERS.items():
        values = [v.strip() for raw in getattr(args, option) for v in raw.split(",") if v.strip()]
        if not values:
            continue
        allowed = getattr(everything, field)
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise UsageError(f"unknown --{option} {', '.join(unknown)} (known: {', '.join(sorted(allowed))})")
        selection = replace(selection, **{field: frozenset(values)})
    return replace(selection, stated_phases_only=getattr(args, "stated_phases_only", False))


def run(main) -> None:
    """Run a command's main(), turning UsageError into a message and exit status 2 (no traceback)."""
    try:
        sys.exit(main())
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
