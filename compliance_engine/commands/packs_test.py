"""`compliance-engine packs test DIR...`: run a rule pack's own fixture manifests against it (like `semgrep --test`).

Exit codes: 0 every fixture behaves as its x-expect says and every rule of the packs under test has a passing and
a failing fixture (or --allow-missing); 1 a fixture did not, or coverage is missing; 2 a pack or a fixture is
invalid (file:line on standard error, nothing on standard output).
"""

from __future__ import annotations

import sys

import click

from .common import fail_input, parse_date, stderr


@click.command("test")
@click.argument("directories", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("--with-builtin", is_flag=True,
              help="Also load the shipped packs (for packs that use their derived facts); only the packs in DIRECTORIES are tested.")
@click.option("--as-of", callback=parse_date,
              help="Date for fixtures whose x-expect states no as_of (YYYY-MM-DD). Default: today.")
@click.option("--allow-missing", is_flag=True,
              help="Do not fail when a rule lacks a passing or a failing fixture (it is still listed).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def packs_test(directories, with_builtin, as_of, allow_missing, fmt):
    """Run the fixtures of the rule packs in DIRECTORIES: each fixture under fixtures/<pack-name>/pass/ or fail/
    must pass, fail or not trigger the rules its x-expect names, and every rule needs a passing and a failing
    fixture."""
    from ..errors import InputError
    from ..fixtures import load_fixture_suite

    try:
        suite = load_fixture_suite(directories, include_builtin=with_builtin, as_of=as_of)
    except InputError as exc:  # PackError included
        fail_input(exc.problems)
    except ValueError as exc:
        stderr(f"compliance-engine: cannot compile: {exc}")
        sys.exit(2)
    if suite.problems:
        fail_input(suite.problems)
    run = suite.run()
    if fmt == "json":
        import json

        click.echo(json.dumps(run.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(run), nl=False)
    sys.exit(0 if run.ok(allow_missing) else 1)


def render_text(run) -> str:
    out = [f"pack {p.id} {p.version} ({len(p.rules)} rule{'s' if len(p.rules) != 1 else ''})  {p.file}" for p in run.packs]
    for r in run.results:
        out.append(f"{'ok  ' if r.ok else 'FAIL'} {r.file}")
        out.extend(f"       {p}" for p in r.problems)
    cov = run.coverage
    if cov.without_pass:
        out.append(f"rules without a passing fixture ({len(cov.without_pass)}):")
        out.extend(f"       {rule}" for rule in cov.without_pass)
    if cov.without_fail:
        out.append(f"rules without a failing fixture ({len(cov.without_fail)}):")
        out.extend(f"       {rule}" for rule in cov.without_fail)
    s = run.summary()
    n_rules = len(cov.rules)
    out.append(f"{s['fixtures']} fixture{'s' if s['fixtures'] != 1 else ''}: {s['ok']} ok, {s['failed']} failed; "
               f"rules covered: pass {n_rules - len(cov.without_pass)}/{n_rules}, fail {n_rules - len(cov.without_fail)}/{n_rules}")
    return "\n".join(out) + "\n"
