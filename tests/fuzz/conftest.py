"""Hypothesis profiles of the fuzz tests, chosen with the HYPOTHESIS_PROFILE environment variable (docs/fuzzing.md).

- ``default`` (the normal test run): 50 examples for each of the four library properties (200 cases) and 5 for the
  command line, about ten seconds; the same examples every run (derandomized); no example database, and
  Hypothesis's other caches go to a temporary directory, so the run writes nothing into the checkout.
- ``long``: 25,000 examples for each of the four library properties (100,000 cases) and 200 for the command line,
  with a fresh random seed each run; a failure prints the blob that reproduces it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches (even with no example database) under ./.hypothesis: not in the checkout
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    _home = tempfile.mkdtemp(prefix="ce-hypothesis-")
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
    set_hypothesis_home_dir(_home)

COMMON = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("default", max_examples=50, derandomize=True, **COMMON)
# FUZZ_EXAMPLES sets the examples per library property of the long profile (a shorter long run on a new change)
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25000")), derandomize=False,
                          print_blob=True, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
