"""benchmarks/run.py (the README's one benchmark command) runs end to end on tiny catalogues: every step it
reports ran, the targets are computed, and all steps share one compiled-pack cache entry. Nothing it times is
asserted."""

from __future__ import annotations

import json

from benchmarks.run import main


def test_the_benchmark_runs_every_step_on_a_small_catalogue(tmp_path, capsys):
    assert main(["--products", "30,40", "--jobs", "1,2", "--one-file-runs", "2", "--dir", str(tmp_path), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [c["products"] for c in results["catalogues"]] == [30, 40]
    for catalogue in results["catalogues"]:
        steps = [(s["step"], s["jobs"]) for s in catalogue["steps"]]
        assert steps == [("parse-only", 1), ("check", 1), ("check", 2)]
        assert catalogue["units"] > catalogue["products"]
        assert all(s["wall_s"] > 0 and s["max_rss_kib"] > 0 for s in catalogue["steps"])
    assert results["one_file"]["runs"] == 2 and results["one_file"]["median_s"] > 0
    names = [t["target"] for t in results["targets"]]
    assert any("one-file" in n for n in names) and any("--jobs 2" in n for n in names)
    assert any(n.startswith("peak RSS") for n in names)  # two sizes: the RSS comparison is made
    cache = tmp_path / "pack-cache"
    assert len(list(cache.glob("packs-*.pickle"))) == 1  # warmed once, reused by every measured step
