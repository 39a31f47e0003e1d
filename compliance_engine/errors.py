"""Errors the library raises or reports. Every input problem names a file and a line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class InputProblem:
    """One problem with an input file (manifest or rule pack): where, and what."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


class ComplianceEngineError(Exception):
    """Base class of the library's own exceptions."""


class InputError(ComplianceEngineError):
    """One or more input files could not be read or are invalid."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # rebuilt from its problems when it crosses a process boundary (--jobs workers)
        return (type(self), (self.problems,))


class PackError(InputError):
    """A rule pack could not be read, is invalid, or cannot be compiled."""


class CheckError(ComplianceEngineError):
    """A requirement check failed unexpectedly while checking a unit (a bug, never swallowed)."""
