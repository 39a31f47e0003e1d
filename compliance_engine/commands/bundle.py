"""`compliance-engine bundle`: one product's evidence for one market (and marketplace) in a zip, with an index.

Exit status: 0 written and nothing missing; 1 written but documents are missing; 2 bad input (nothing written).
"""

from __future__ import annotations

import sys

import click

from .common import (fail_input, limit_options, parse_date, run_check, settings_inputs, stderr, stop_on_input_errors,
                     write_output)


@click.command()
@click.argument("sku")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--market", required=True, help="The market (country code) whose rules the bundle answers.")
@click.option("--marketplace", help="The listing's marketplace; needed when the product has several listings in the market.")
@click.option("--output", "-o", required=True, help="The zip file to write (atomically).")
@click.option("--as-of", callback=parse_date, help="Check as of this date (YYYY-MM-DD). Default: today.")
@click.option("--pack", "packs", multiple=True, help="Only rules of these packs (id or prefix). Repeatable.")
@click.option("--rulepacks", multiple=True, type=click.Path(file_okay=False), help="Also load the rule packs in this directory. Repeatable.")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False), help="A central waivers file (YAML).")
@click.option("--no-waivers", is_flag=True, help="Audit mode: as if no waiver existed (manifest or central).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read this configuration file instead of searching for one.")
@limit_options
def bundle(sku, paths, market, marketplace, output, as_of, packs, rulepacks, waivers_file, no_waivers, config_file, limits):
    """Collect the evidence files of product SKU in PATHS for --market into a zip with an index.

    PATHS default to the configuration's `paths`, else the working directory; --pack, --rulepacks and
    --waivers default to the configuration's values."""
    from ..bundle import UnitNotFound, build_bundle, select_unit
    from ..errors import InputError
    from .settings import input_limits, settings_for_check

    if output == "-":
        raise click.UsageError("--output must be a file: a zip is not written to standard output")
    settings = settings_for_check(config_file, {"paths": paths, "packs": packs, "rulepacks": rulepacks,
                                                "waivers": waivers_file, "limits": limits})
    limits = input_limits(settings)
    checker, loaded, report = run_check(list(settings.value("paths")) or ["."], packs=settings.value("packs"),
                                        rulepacks=settings.value("rulepacks"), as_of=as_of, markets=[market],
                                        waivers=settings.value("waivers"), use_waivers=not no_waivers, limits=limits)
    stop_on_input_errors(report)
    try:
        result = select_unit(report, loaded, sku, market, marketplace)
        built = build_bundle(result, report, loaded)
    except UnitNotFound as exc:
        stderr(f"compliance-engine: {exc}")
        sys.exit(2)
    except InputError as exc:
        fail_input(exc.problems)
    inputs = [m.path for m in loaded.manifests if m.path is not None] + built.sources + settings_inputs(settings)
    write_output(built.data, output, inputs)
    s = built.index["summary"]
    missing = s["missing"]
    click.echo(f"wrote {output}: {s['rules']} rule{'s' if s['rules'] != 1 else ''}, "
               f"{s['evidence_files']} evidence file{'s' if s['evidence_files'] != 1 else ''}, "
               f"{missing} document{'s' if missing != 1 else ''} missing")
    if missing:
        where = f"{result.sku} in {result.market}" + (f" ({result.marketplace})" if result.marketplace else "")
        stderr(f"compliance-engine: {missing} document{'s' if missing != 1 else ''} or registration"
               f"{'s' if missing != 1 else ''} still missing for {where}; see the Missing section of index.md")
        sys.exit(1)
    sys.exit(0)
