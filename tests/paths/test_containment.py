"""Document files cannot reach outside the repository of the manifest that names them: ``../`` paths, absolute paths
and symlinks pointing out are never read, the finding says the path is outside the repository, and the bundle
refuses them. A symlink that stays inside the repository is followed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compliance_engine.commands.bundle import bundle
from compliance_engine.commands.check import check
from compliance_engine.commands.documents import documents
from compliance_engine.loading import load_manifests, load_text
from compliance_engine.paths import contained_file, manifest_repository
from tests.conftest import pack_yaml, rule_yaml, write
from tests.documents.sample_repo import invoke

AS_OF = "2026-11-24"
RULE = "eu.p.declaration"
PACK = pack_yaml("eu.p", markets="[EU]", rules=rule_yaml(RULE, requires="[{document: {type: eu-declaration-of-conformity}}]"))
DEEP_PASSWD = "../" * 40 + "etc/passwd"  # enough steps to reach the real /etc/passwd from any temporary directory


def product(file: str) -> str:
    return ("kind: Product\nsku: P-1\ncategory: electronics.audio\nmarkets: [DE]\ndocuments:\n"
            "  - id: doc-doc\n    type: eu-declaration-of-conformity\n    issued: 2025-01-10\n"
            f"    file: {json.dumps(file)}\n")


FILE_LINE = 9  # the line of documents[0].file in product()


def git_repo(base: Path, file: str) -> Path:
    """``base/repo``, a git repository with the test pack, the product naming ``file``, and an inside document;
    ``base/outside/secret.txt`` exists next to it (so a check that followed the path would find a file)."""
    repo = base / "repo"
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    write(repo / "packs" / "p.yaml", PACK)
    write(repo / "products" / "p.yaml", product(file))
    write(repo / "products" / "docs" / "declaration.txt", "EU declaration of conformity\n")
    write(base / "outside" / "secret.txt", "not evidence\n")
    return repo


def library_report(repo: Path, paths=None):
    from compliance_engine import Checker

    checker = Checker(rulepacks=[repo / "packs"], include_builtin=False, as_of=AS_OF)
    return checker.check_loaded(load_manifests(paths or [repo / "products"]))


def finding(report):
    assert report.errors == []
    [result] = report.results
    [f] = [f for f in result.findings if f.rule == RULE]
    return f


class Watch:
    """Records every path opened (audit hook), stat'ed (os.stat: ``followed``) or lstat'ed while active."""

    hooked = False
    active: "Watch | None" = None

    def __init__(self, monkeypatch):
        self.opened: list[str] = []
        self.followed: list[str] = []  # os.stat: looks at the file a name leads to
        self.lstated: list[str] = []  # os.lstat: looks at the name itself
        if not Watch.hooked:
            sys.addaudithook(Watch._audit)
            Watch.hooked = True
        monkeypatch.setattr(os, "stat", self._wrap(os.stat, self.followed))
        monkeypatch.setattr(os, "lstat", self._wrap(os.lstat, self.lstated))

    def _wrap(self, real, into: list[str]):
        def watched(path, *a, **kw):
            if Watch.active is self:
                into.append(os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path))
            return real(path, *a, **kw)
        return watched

    @staticmethod
    def _audit(event, args):
        w = Watch.active
        if w is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            w.opened.append(os.fsdecode(args[0]))

    def __enter__(self):
        Watch.active = self
        return self

    def __exit__(self, *exc):
        Watch.active = None

    def touched(self, target: Path) -> list[str]:
        names = {str(target), str(target.resolve())}
        return [p for p in self.opened + self.followed + self.lstated if p in names or os.path.normpath(p) in names]


# ------------------------------------------------------------------------------------------------ library
@pytest.mark.parametrize("file", ["../../outside/secret.txt", "../../etc/passwd", DEEP_PASSWD])
def test_a_path_leaving_the_repository_is_a_failing_finding_and_is_never_touched(tmp_path, monkeypatch, file):
    repo = git_repo(tmp_path, file)
    outside = tmp_path / "outside" / "secret.txt"
    with Watch(monkeypatch) as watch:
        f = finding(library_report(repo))
    assert f.status == "fail" and f.evidence == []
    assert f"doc-doc: file {file} is outside the repository of its manifest, so it is not read" in f.message
    assert f.location["file"].endswith("products/p.yaml")
    assert (f.location["line"], f.location["field"]) == (FILE_LINE, "documents[0].file")
    assert f.missing_documents == [{"type": "eu-declaration-of-conformity", "detail": ""}]
    assert watch.touched(outside) == [] and watch.touched(Path("/etc/passwd")) == []


def test_the_same_product_with_its_file_inside_passes_with_the_file_as_evidence(tmp_path):
    repo = git_repo(tmp_path, "docs/declaration.txt")
    f = finding(library_report(repo))
    assert f.status == "pass"
    assert [e["file"] for e in f.evidence] == ["docs/declaration.txt"]


def test_a_symlink_pointing_out_of_the_repository_does_not_count(tmp_path, monkeypatch):
    repo = git_repo(tmp_path, "docs/declaration.txt")
    outside = tmp_path / "outside" / "secret.txt"
    link = repo / "products" / "docs" / "declaration.txt"
    link.unlink()
    link.symlink_to(outside)
    with Watch(monkeypatch) as watch:
        f = finding(library_report(repo))
    assert f.status == "fail" and f.evidence == []
    assert "doc-doc: file docs/declaration.txt is outside the repository of its manifest" in f.message
    assert f.location["line"] == FILE_LINE and f.location["field"] == "documents[0].file"
    # the link itself is read to resolve it (lstat of the names on the way); the target is never opened or stat'ed
    assert str(outside) not in watch.opened and str(outside) not in watch.followed


def test_a_symlinked_directory_pointing_out_does_not_count_either(tmp_path):
    repo = git_repo(tmp_path, "docs/elsewhere/secret.txt")
    (repo / "products" / "docs" / "elsewhere").symlink_to(tmp_path / "outside", target_is_directory=True)
    f = finding(library_report(repo))
    assert f.status == "fail" and "is outside the repository" in f.message


def test_a_symlink_that_stays_inside_the_repository_is_followed(tmp_path):
    repo = git_repo(tmp_path, "docs/current.txt")
    write(repo / "shared" / "declaration-v2.txt", "EU declaration of conformity, version 2\n")
    (repo / "products" / "docs" / "current.txt").symlink_to(repo / "shared" / "declaration-v2.txt")
    f = finding(library_report(repo))
    assert f.status == "pass" and [e["file"] for e in f.evidence] == ["docs/current.txt"]


def test_a_missing_file_inside_still_says_it_does_not_exist(tmp_path):
    repo = git_repo(tmp_path, "docs/nowhere.txt")
    f = finding(library_report(repo))
    assert f.status == "fail" and "doc-doc: file docs/nowhere.txt does not exist (relative to its manifest)" in f.message
    assert "outside" not in f.message


def test_an_absolute_path_is_an_input_error_naming_file_and_line(tmp_path):
    repo = git_repo(tmp_path, "/etc/passwd")
    report = library_report(repo)
    assert report.results == []
    [error] = report.errors
    assert error["line"] == FILE_LINE and error["file"].endswith("products/p.yaml")
    assert "documents[0].file: '/etc/passwd' is an absolute path" in error["message"]


def test_an_absolute_path_that_bypasses_validation_is_outside_too(tmp_path):
    """Defence in depth: data that never went through the models (a caller's own dicts) is judged the same way."""
    from compliance_engine.requirements import Context, check_document
    from compliance_engine.units import CheckUnit, Source

    repo = git_repo(tmp_path, "docs/declaration.txt")
    m = load_text(product("docs/declaration.txt"), "p.yaml", repo / "products" / "p.yaml").manifests[0]
    unit = CheckUnit(m.data, "DE", None, None, Source("p.yaml", m))
    m.data["documents"][0]["file"] = "/etc/passwd"
    out = check_document({"type": "eu-declaration-of-conformity"}, Context(unit, dt.date(2026, 11, 24), {}))
    assert not out.ok and out.evidence == []
    assert out.problems == ["doc-doc: file /etc/passwd is outside the repository of its manifest, so it is not read "
                            "and does not count"]
    assert out.where[1] == "documents[0].file"


def no_git_catalogue(tmp_path: Path) -> Path:
    """``catalogue/`` without .git: P-1's document beside it in products/docs, Q-1's in ../shared."""
    base = tmp_path / "catalogue"
    write(tmp_path / "packs" / "p.yaml", PACK)  # beside the catalogue: checking it must not read the pack
    write(base / "products" / "p.yaml", product("docs/declaration.txt"))
    write(base / "products" / "docs" / "declaration.txt", "EU declaration of conformity\n")
    write(base / "products" / "q.yaml", product("../shared/declaration.txt").replace("P-1", "Q-1"))
    write(base / "shared" / "declaration.txt", "EU declaration of conformity\n")
    assert not any((d / ".git").exists() for d in (base, *base.resolve().parents)), "tmp_path lies inside a git repository"
    return base


@pytest.mark.parametrize("checked, q_status", [("products", "fail"), (".", "pass")])
def test_without_git_the_repository_is_the_directory_being_checked(tmp_path, checked, q_status):
    """No .git above: checking products/ keeps Q-1's ../shared file out; checking the catalogue takes it in."""
    from compliance_engine import Checker

    base = no_git_catalogue(tmp_path)
    report = Checker(rulepacks=[tmp_path / "packs"], include_builtin=False, as_of=AS_OF).check_paths([base / checked])
    by_sku = {r.sku: next(f for f in r.findings if f.rule == RULE) for r in report.results}
    assert by_sku["P-1"].status == "pass"
    assert by_sku["Q-1"].status == q_status
    if q_status == "fail":
        assert "file ../shared/declaration.txt is outside the repository of its manifest" in by_sku["Q-1"].message


@pytest.mark.parametrize("mode", [["--format", "json"], ["--format", "json", "--jobs", "2"], ["--format", "jsonl"]],
                         ids=["serial", "jobs", "jsonl"])
def test_without_git_every_way_of_running_takes_the_directory_being_checked(tmp_path, mode):
    base = no_git_catalogue(tmp_path)
    for checked, q_status in (("products", "fail"), (".", "pass")):
        run = subprocess.run([sys.executable, "-m", "compliance_engine", "check", checked, "--rulepacks", str(tmp_path / "packs"),
                              "--pack", "eu.p", "--as-of", AS_OF, *mode], cwd=base, capture_output=True, text=True)
        assert run.returncode in (0, 1), run.stderr
        text = run.stdout
        results = ([json.loads(x) for x in text.splitlines() if '"type":"result"' in x] if "jsonl" in mode
                   else json.loads(text)["results"])
        status = {r["sku"]: next(f["status"] for f in r["findings"] if f["rule"] == RULE) for r in results}
        assert status == {"P-1": "pass", "Q-1": q_status}, (checked, mode)


# ------------------------------------------------------------------------------------------------ paths.py
def test_contained_file_judges_written_paths_before_looking_at_the_disk(tmp_path):
    root = tmp_path / "repo"
    (root / "a" / "b").mkdir(parents=True)
    write(root / "a" / "doc.txt", "x")
    d = root / "a" / "b"
    assert contained_file("../doc.txt", d, root) == (root / "a" / "doc.txt").resolve()
    assert contained_file("./../../a/doc.txt", d, root) == (root / "a" / "doc.txt").resolve()
    assert contained_file("missing.txt", d, root) == (d / "missing.txt").resolve()  # existence is the caller's
    for bad in ("../../../x.txt", "/etc/passwd", "", "a\x00b", "../../../repo-sibling/x.txt"):
        assert contained_file(bad, d, root) is None, bad


def test_manifest_repository_prefers_git_then_the_checked_directory_then_the_manifest_directory(tmp_path):
    plain = tmp_path / "plain" / "products" / "toys"
    plain.mkdir(parents=True)
    assert manifest_repository(plain) == plain.resolve()
    assert manifest_repository(plain, checked=tmp_path / "plain") == (tmp_path / "plain").resolve()
    assert manifest_repository(plain, checked=tmp_path / "elsewhere") == plain.resolve()  # not above: ignored
    repo = tmp_path / "repo"
    (repo / "products").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert manifest_repository(repo / "products", checked=repo / "products") == repo.resolve()


# ------------------------------------------------------------------------------------------------ command line
def cli(command, repo: Path, *args):
    extra = ("--rulepacks", repo / "packs", "--pack", "eu.p", "--as-of", AS_OF)
    if command is bundle:
        return invoke(bundle, args[0], repo / "products", *extra, *args[1:], cwd=repo)
    return invoke(command, repo / "products", *extra, *args, cwd=repo)


@pytest.mark.parametrize("how", ["dotdot", "symlink"])
def test_check_documents_and_bundle_on_the_command_line(tmp_path, how):
    if how == "dotdot":
        repo = git_repo(tmp_path, "../../outside/secret.txt")
        written = "../../outside/secret.txt"
    else:
        repo = git_repo(tmp_path, "docs/declaration.txt")
        link = repo / "products" / "docs" / "declaration.txt"
        link.unlink()
        link.symlink_to(tmp_path / "outside" / "secret.txt")
        written = "docs/declaration.txt"

    out = cli(check, repo, "--format", "json")
    assert out.exit_code == 1, out.stderr
    assert "Traceback" not in out.stderr
    report = json.loads(out.stdout)
    [f] = [f for f in report["results"][0]["findings"] if f["rule"] == RULE]
    assert f["status"] == "fail"
    assert f"file {written} is outside the repository of its manifest, so it is not read" in f["message"]
    assert f["location"]["line"] == FILE_LINE and f["location"]["field"] == "documents[0].file"

    out = cli(documents, repo, "--format", "json")
    assert out.exit_code == 1, out.stderr
    [entry] = json.loads(out.stdout)["products"]
    assert [m["type"] for m in entry["missing"]] == ["eu-declaration-of-conformity"]

    target = tmp_path / "out.zip"
    out = cli(bundle, repo, "P-1", "--market", "DE", "-o", target)
    assert out.exit_code == 2 and "Traceback" not in out.stderr
    assert out.stderr == (f"compliance-engine: products/p.yaml:{FILE_LINE}: documents[0].file: {written} is outside the "
                          f"repository {repo.resolve()}; the bundle only takes files inside it\n")
    assert not target.exists()


def test_the_command_line_with_a_symlink_inside_the_repository_bundles_its_target(tmp_path):
    import zipfile

    repo = git_repo(tmp_path, "docs/current.txt")
    write(repo / "shared" / "declaration-v2.txt", "EU declaration of conformity, version 2\n")
    (repo / "products" / "docs" / "current.txt").symlink_to(repo / "shared" / "declaration-v2.txt")
    assert cli(check, repo).exit_code == 0
    target = tmp_path / "out.zip"
    out = cli(bundle, repo, "P-1", "--market", "DE", "-o", target)
    assert out.exit_code == 0, out.stderr
    with zipfile.ZipFile(target) as zf:
        assert zf.read("evidence/shared/declaration-v2.txt") == b"EU declaration of conformity, version 2\n"


def test_an_absolute_path_on_the_command_line_is_exit_2_with_file_and_line(tmp_path):
    repo = git_repo(tmp_path, "/etc/passwd")
    for command in (check, documents):
        out = cli(command, repo)
        assert out.exit_code == 2 and "Traceback" not in out.stderr
        # check prints input errors in its report, documents on standard error
        assert f"products/p.yaml:{FILE_LINE}: documents[0].file: '/etc/passwd' is an absolute path" in out.stdout + out.stderr


def test_a_seller_document_outside_points_at_the_seller_manifest_and_stops_the_bundle(tmp_path):
    repo = git_repo(tmp_path, "docs/declaration.txt")
    write(repo / "products" / "p.yaml", "kind: Product\nsku: P-1\ncategory: electronics.audio\nmarkets: [DE]\n")
    write(repo / "products" / "seller.yaml", "kind: Seller\nname: Example GmbH\nestablished_in: DE\ndocuments:\n"
                                             "  - {id: seller-doc, type: eu-declaration-of-conformity, file: ../../outside/secret.txt}\n")
    f = finding(library_report(repo))
    assert f.status == "fail" and f.evidence == []
    assert "seller-doc: file ../../outside/secret.txt is outside the repository of its manifest" in f.message
    assert f.location["file"].endswith("products/seller.yaml")
    assert (f.location["line"], f.location["field"]) == (5, "documents[0].file")
    out = cli(bundle, repo, "P-1", "--market", "DE", "-o", tmp_path / "out.zip")
    assert out.exit_code == 2
    assert out.stderr.startswith("compliance-engine: products/seller.yaml:5: documents[0].file: ../../outside/secret.txt "
                                 "is outside the repository")
    assert not (tmp_path / "out.zip").exists()


def test_a_file_name_the_system_refuses_is_a_failing_finding_not_a_crash(tmp_path):
    """A name longer than the file system allows (255 bytes on most): the document does not count, the run goes on."""
    name = "docs/" + "n" * 300 + ".pdf"
    repo = git_repo(tmp_path, name)
    f = finding(library_report(repo))
    assert f.status == "fail" and f.evidence == []
    assert f"doc-doc: file {name} cannot be looked up (File name too long)" in f.message
    out = cli(check, repo)
    assert out.exit_code == 1 and "internal error" not in out.stderr
