"""A JSON Schema (Draft 2020-12) validator for the keywords rule packs use, so checking a product does not
import jsonschema (about 25 ms of a one-file check's start-up).

It gives the errors jsonschema's ``Draft202012Validator`` gives, in the same order and with the same
``validator``, ``validator_value``, ``instance``, ``absolute_path`` and ``message`` (the pack's ``pattern``
keyword runs on the safe engine, as it does with jsonschema in :mod:`compliance_engine.safe_regex`).
:func:`supports` says whether a schema keeps to the keywords below; any other schema is validated by
jsonschema itself. ``tests/packs/test_schema_subset.py`` compares the two on every shipped schema and on
generated schemas and instances.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Iterator

#: keywords validated here, with jsonschema's semantics
KEYWORDS = frozenset({
    "type", "properties", "required", "const", "enum", "pattern", "if", "then", "else", "contains", "items",
    "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "anyOf", "allOf", "not", "minItems",
    "maxItems", "minLength", "maxLength",
})
#: keywords that never give an error (annotations)
ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default", "$schema"})

_SUBSCHEMA = ("if", "then", "else", "contains", "items", "not")
_SUBSCHEMAS = ("anyOf", "allOf")
_TYPES = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: not isinstance(v, bool) and (isinstance(v, int) or (isinstance(v, float) and v.is_integer())),
    "null": lambda v: v is None,
    "number": lambda v: not isinstance(v, bool) and isinstance(v, numbers.Number),
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}


def supports(schema: Any) -> bool:
    """Whether every (sub)schema of ``schema`` is a mapping that uses only :data:`KEYWORDS` and
    :data:`ANNOTATIONS`, with the value shapes jsonschema's metaschema allows for them."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            return False  # boolean schemas and anything else: jsonschema decides
        for key, value in node.items():
            if key in ANNOTATIONS:
                continue
            if key not in KEYWORDS:
                return False
            if key == "properties":
                if not isinstance(value, dict):
                    return False
                stack.extend(value.values())
            elif key in _SUBSCHEMA:
                stack.append(value)
            elif key in _SUBSCHEMAS:
                if not isinstance(value, list) or not value:
                    return False
                stack.extend(value)
            elif key == "type":
                names = value if isinstance(value, list) else [value]
                if not names or any(not isinstance(n, str) or n not in _TYPES for n in names):
                    return False
            elif key == "required":
                if not isinstance(value, list) or any(not isinstance(n, str) for n in value):
                    return False
            elif key == "enum":
                if not isinstance(value, list):
                    return False
            elif key == "pattern":
                if not isinstance(value, str):
                    return False
            elif key in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    return False
            elif key in ("minItems", "maxItems", "minLength", "maxLength"):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    return False
    return True


class SchemaError:
    """One validation error, with the attributes of jsonschema's ``ValidationError`` that callers read."""

    __slots__ = ("validator", "validator_value", "instance", "absolute_path", "message")

    def __init__(self, validator: str, validator_value: Any, instance: Any, path: tuple, message: str):
        self.validator, self.validator_value, self.instance = validator, validator_value, instance
        self.absolute_path, self.message = path, message

    def __repr__(self) -> str:
        return f"<SchemaError {self.validator} at {list(self.absolute_path)}: {self.message}>"


def equal(one: Any, two: Any) -> bool:
    """JSON equality: True is not 1, False is not 0, lists and mappings compared item by item."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(i, j) for i, j in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and equal(v, two[k]) for k, v in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return one == two


class SubsetValidator:
    """Validates instances against one schema that :func:`supports` accepts; ``search(pattern, text)`` runs
    the ``pattern`` keyword."""

    def __init__(self, schema: dict, search: Callable[[str, str], bool]):
        self.schema = schema
        self._search = search

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        return self._errors(instance, self.schema, ())

    def is_valid(self, instance: Any, schema: dict | None = None) -> bool:
        return next(self._errors(instance, self.schema if schema is None else schema, ()), None) is None

    def _errors(self, instance: Any, schema: dict, path: tuple) -> Iterator[SchemaError]:
        for key, value in schema.items():
            if key == "properties":
                if isinstance(instance, dict):
                    for name, sub in value.items():
                        if name in instance:
                            yield from self._errors(instance[name], sub, path + (name,))
                continue
            if key in ANNOTATIONS:
                continue
            if key == "if":
                if self.is_valid(instance, value):
                    if "then" in schema:
                        yield from self._errors(instance, schema["then"], path)
                elif "else" in schema:
                    yield from self._errors(instance, schema["else"], path)
                continue
            if key == "allOf":
                for sub in value:
                    yield from self._errors(instance, sub, path)
                continue
            if key == "required":
                if isinstance(instance, dict):
                    for name in value:
                        if name not in instance:
                            yield SchemaError(key, value, instance, path, f"{name!r} is a required property")
                continue
            if key == "items":
                if isinstance(instance, list):
                    for index, item in enumerate(instance):
                        yield from self._errors(item, value, path + (index,))
                continue
            message = self._message(key, value, instance)
            if message is not None:
                yield SchemaError(key, value, instance, path, message)

    def _message(self, key: str, value: Any, instance: Any) -> str | None:
        """The error of one keyword that does not descend into subschemas, or None."""
        if key == "type":
            names = value if isinstance(value, list) else [value]
            if not any(_TYPES[n](instance) for n in names):
                return f"{instance!r} is not of type {', '.join(repr(n) for n in names)}"
        elif key == "const":
            if not equal(instance, value):
                return f"{value!r} was expected"
        elif key == "enum":
            if all(not equal(each, instance) for each in value):
                return f"{instance!r} is not one of {value!r}"
        elif key == "pattern":
            if isinstance(instance, str) and not self._search(value, instance):
                return f"{instance!r} does not match {value!r}"
        elif key == "contains":
            if isinstance(instance, list) and not any(self.is_valid(each, value) for each in instance):
                return f"{instance!r} does not contain items matching the given schema"
        elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if _TYPES["number"](instance):
                if key == "minimum" and instance < value:
                    return f"{instance!r} is less than the minimum of {value!r}"
                if key == "maximum" and instance > value:
                    return f"{instance!r} is greater than the maximum of {value!r}"
                if key == "exclusiveMinimum" and instance <= value:
                    return f"{instance!r} is less than or equal to the minimum of {value!r}"
                if key == "exclusiveMaximum" and instance >= value:
                    return f"{instance!r} is greater than or equal to the maximum of {value!r}"
        elif key == "anyOf":
            if not any(self.is_valid(instance, sub) for sub in value):
                return f"{instance!r} is not valid under any of the given schemas"
        elif key == "not":
            if self.is_valid(instance, value):
                return f"{instance!r} should not be valid under {value!r}"
        elif key in _LENGTHS:
            kind, least = _LENGTHS[key]
            if isinstance(instance, kind):
                if least and len(instance) < value:
                    return f"{instance!r} {'should be non-empty' if value == 1 else 'is too short'}"
                if not least and len(instance) > value:
                    return f"{instance!r} {'is expected to be empty' if value == 0 else 'is too long'}"
        return None


#: length keywords: (the type they bound, whether they are a lower bound)
_LENGTHS = {"minItems": (list, True), "maxItems": (list, False), "minLength": (str, True), "maxLength": (str, False)}
