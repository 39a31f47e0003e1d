"""A progress bar on standard error for long runs: only on a terminal, never in CI logs or with --quiet.

It draws nothing for the first half second, so short runs (a pre-commit hook on a few files) never flicker,
then redraws at most ten times a second and erases itself when the run ends.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL", "TEAMCITY_VERSION",
                "CIRCLECI", "TRAVIS", "BITBUCKET_BUILD_NUMBER", "PRE_COMMIT")


def progress_wanted(stream: TextIO, quiet: bool = False, environ: dict | None = None) -> bool:
    """True when ``stream`` is a terminal, not in CI (nor under pre-commit), TERM is not dumb and not ``quiet``."""
    env = os.environ if environ is None else environ
    if quiet or env.get("TERM") == "dumb":
        return False
    if any(env.get(v, "") not in ("", "0", "false") for v in CI_VARIABLES):
        return False
    return bool(getattr(stream, "isatty", None)) and stream.isatty()


class ProgressBar:
    """``bar(done, total)`` after each unit; ``bar.close()`` at the end (erases the line)."""

    def __init__(self, stream: TextIO, label: str = "checking", delay: float | None = None, width: int = 30,
                 clock=time.monotonic):
        if delay is None:  # COMPLIANCE_ENGINE_PROGRESS_DELAY: seconds before the bar appears (default 0.5)
            try:
                delay = float(os.environ.get("COMPLIANCE_ENGINE_PROGRESS_DELAY", "0.5"))
            except ValueError:
                delay = 0.5
        self.stream, self.label, self.delay, self.width, self.clock = stream, label, delay, width, clock
        self.started = clock()
        self.last_draw = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < self.delay or (now - self.last_draw < 0.1 and (done < total or not total)):
            return
        self.last_draw = now
        if not total:  # a stream: the total is not known in advance
            self.stream.write(f"\r{self.label}: {done} units")
            self.stream.flush()
            self.drawn = True
            return
        filled = self.width * done // total
        pct = 100 * done // total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} units {pct:3d}%")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False
