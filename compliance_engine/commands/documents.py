"""`compliance-engine documents`: the documents and registrations still missing, or about to expire, per product
and market.

Exit status: 0 nothing missing or expiring; 1 something is; 2 an input could not be read (nothing written).
"""

from __future__ import annotations

import sys

import click

from .common import limit_options, parse_date, run_check, settings_inputs, stderr, stop_on_input_errors, write_output

FORMATS = ("text", "markdown", "csv", "json")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--market", "markets", multiple=True, help="Only these markets (country codes; EU and SEA expand). Repeatable.")
@click.option("--pack", "packs", multiple=True, help="Only rules of these packs (id or prefix: eu.gpsr, us., sea). Repeatable.")
@click.option("--rulepacks", multiple=True, type=click.Path(file_okay=False), help="Also load the rule packs in this directory. Repeatable.")
@click.option("--as-of", callback=parse_date, help="Check as of this date (YYYY-MM-DD). Default: today.")
@click.option("--within", "within_days", type=click.IntRange(min=0), default=90, show_default=True,
              help="List held documents and registrations that expire within this many days after --as-of.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", help="Write the checklist to this file (atomically) instead of standard output.")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False), help="A central waivers file (YAML).")
@click.option("--no-waivers", is_flag=True, help="Audit mode: as if no waiver existed (manifest or central).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read this configuration file instead of searching for one.")
@limit_options
def documents(paths, markets, packs, rulepacks, as_of, within_days, fmt, output, waivers_file, no_waivers, config_file,
              limits):
    """List, per product and market, the documents and registrations still missing and those expiring soon.

    PATHS, --market, --pack, --rulepacks and --waivers default to the configuration's values."""
    from ..documents import build_checklist, render
    from .settings import input_limits, settings_for_check

    settings = settings_for_check(config_file, {"paths": paths, "packs": packs, "markets": markets,
                                                "rulepacks": rulepacks, "waivers": waivers_file, "limits": limits})
    limits = input_limits(settings)
    paths, markets = list(settings.value("paths")), list(settings.value("markets"))
    if not paths:
        raise click.UsageError("no PATHS given and no `paths` in the configuration (see check --show-config)")
    checker, loaded, report = run_check(paths, packs=settings.value("packs"), rulepacks=settings.value("rulepacks"),
                                        as_of=as_of, markets=markets, waivers=settings.value("waivers"),
                                        use_waivers=not no_waivers, limits=limits)
    stop_on_input_errors(report)
    if markets and not report.results:
        stderr(f"compliance-engine: warning: no product in {', '.join(paths)} is sold in {', '.join(markets)}")
    checklist = build_checklist(report, within_days)
    write_output(render(checklist, fmt), output,
                 [m.path for m in loaded.manifests if m.path is not None] + settings_inputs(settings))
    sys.exit(1 if checklist.has_gaps else 0)
