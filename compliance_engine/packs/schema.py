"""The JSON Schema of a rule pack file and of a pack data table (shipped as schemas/*.schema.json)."""

from __future__ import annotations

_ID = r"^(eu|gb|us|id|vn|th|my|sg|ph|sea|x-[a-z0-9-]+)\.[a-z0-9-]+$"
_RULE_ID = r"^(eu|gb|us|id|vn|th|my|sg|ph|sea|x-[a-z0-9-]+)\.[a-z0-9-]+\.[a-z0-9][a-z0-9.-]*$"
_FACT = r"^[a-z0-9][a-z0-9-]*$"
_PATH = r"^(product|listing|seller)(\.[A-Za-z0-9_-]+(\[\])?)+$"
_MARKET = r"^([A-Z]{2}|EU|SEA)$"
_URL = r"^https?://\S+$"
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_SCALAR = {"type": ["string", "number", "boolean"]}
_SEVERITY = {"enum": ["error", "warning", "info"]}

_TABLE_OR_LIST = {"oneOf": [
    {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "maxItems": 512},
    {"type": "object", "additionalProperties": False, "required": ["table", "column"],
     "properties": {"table": {"type": "string"}, "column": {"type": "string"}}}]}

_ATOM_OPS = {
    "exists": {"type": "boolean"},
    "equals": _SCALAR,
    "in": {"type": "array", "items": _SCALAR, "minItems": 1, "maxItems": 64},
    "under": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 32}]},
    "contains": _SCALAR,
    "contains_any": {"type": "array", "items": _SCALAR, "minItems": 1, "maxItems": 32},
    "gt": {"type": "number"},
    "gte": {"type": "number"},
    "lt": {"type": "number"},
    "lte": {"type": "number"},
    "equals_market": {"const": True},
    "equals_field": {"type": "string", "pattern": _PATH},
    "prefix_in": _TABLE_OR_LIST,
    "segment_in": _TABLE_OR_LIST,
    "has_item": {"type": "object", "minProperties": 1, "maxProperties": 4,
                 "additionalProperties": {"oneOf": [_SCALAR, {"type": "array", "items": _SCALAR, "minItems": 1, "maxItems": 16}]}},
}

CONDITION = {
    "oneOf": [
        {"type": "object", "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1}},
         "required": ["all"], "additionalProperties": False},
        {"type": "object", "properties": {"any": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1}},
         "required": ["any"], "additionalProperties": False},
        {"type": "object", "properties": {"not": {"$ref": "#/$defs/condition"}}, "required": ["not"], "additionalProperties": False},
        {"type": "object", "properties": {"fact": {"type": "string", "pattern": _FACT}}, "required": ["fact"], "additionalProperties": False},
        {"type": "object", "properties": {"market": {"type": "array", "items": {"type": "string", "pattern": _MARKET}, "minItems": 1}},
         "required": ["market"], "additionalProperties": False},
        {"type": "object", "properties": {"has": {"enum": ["listing", "seller"]}}, "required": ["has"], "additionalProperties": False},
        {"type": "object", "properties": {"since": _DATE}, "required": ["since"], "additionalProperties": False},
        {"type": "object",
         "properties": {"field": {"type": "string", "pattern": _PATH}, "default": _SCALAR, **_ATOM_OPS},
         "required": ["field"], "additionalProperties": False,
         "oneOf": [{"required": [op]} for op in _ATOM_OPS]},
    ]
}

_REQ_COMMON = {
    "when": {"$ref": "#/$defs/condition"},
    "severity": _SEVERITY,
    "if_missing": {"enum": ["fail", "warn", "pass"]},
    "label": {"type": "string", "minLength": 1},
}
_STR_OR_LIST = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
_STR_LIST = {"type": "array", "items": {"type": "string"}}
_ITEM_FILTER = {"type": "object", "minProperties": 1, "maxProperties": 4,
                "additionalProperties": {"type": "array", "items": _SCALAR, "minItems": 1}}

_REQUIREMENT_KINDS = {
    "document": {"type": "object", "additionalProperties": False, "required": ["type"], "properties": {
        "type": _STR_OR_LIST, "covers": _STR_LIST, "standards": {"type": "array", "items": _STR_OR_LIST}, "model": {"type": "boolean"},
        "kind": {"type": "string"}, "level": {"enum": ["product", "seller", "any"]}, "detail": {"type": "string"}}},
    "registration": {"type": "object", "additionalProperties": False, "required": ["type"], "properties": {
        "type": _STR_OR_LIST,
        "market": {"oneOf": [{"type": "string", "pattern": r"^(unit|any|[A-Z]{2}|EU)$"}, {"type": "string", "pattern": _PATH}]},
        "for_each_country": {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
            "paths": {"type": "array", "items": {"type": "string", "pattern": _PATH}, "minItems": 1},
            "values": {"type": "array", "items": {"type": "string", "pattern": r"^[A-Z]{2}$"}, "minItems": 1},
            "within": {"type": "array", "items": {"type": "string", "pattern": _MARKET}, "minItems": 1}}},
        "holder_role": _STR_OR_LIST, "max_age_days": {"type": "integer", "minimum": 1},
        "number_matches": {"type": "string", "minLength": 1, "maxLength": 200},
        "level": {"enum": ["product", "seller", "any"]}, "detail": {"type": "string"}}},
    "field": {"type": "object", "additionalProperties": False, "required": ["path"],
              "properties": {"path": {"type": "string", "pattern": _PATH}, "exists": {"type": "boolean"},
                             "equals": _SCALAR, "in": {"type": "array", "items": _SCALAR, "minItems": 1},
                             "not_in": {"type": "array", "items": _SCALAR, "minItems": 1},
                             "contains": _SCALAR, "contains_all": {"type": "array", "items": _SCALAR, "minItems": 1},
                             "contains_any": {"type": "array", "items": _SCALAR, "minItems": 1},
                             "matches": {"type": "string", "minLength": 1, "maxLength": 500}},
              "oneOf": [{"required": [op]} for op in ("exists", "equals", "in", "not_in", "contains", "contains_all", "contains_any", "matches")]},
    "limit": {"type": "object", "additionalProperties": False, "required": ["path"], "anyOf": [{"required": ["min"]}, {"required": ["max"]}],
              "properties": {"path": {"type": "string", "pattern": _PATH}, "min": {"type": "number"}, "max": {"type": "number"},
                             "min_exclusive": {"type": "boolean"}, "max_exclusive": {"type": "boolean"}, "unit": {"type": "string"}}},
    "operator": {"type": "object", "additionalProperties": False, "required": ["jurisdiction", "roles"], "properties": {
        "jurisdiction": {"type": "string", "pattern": r"^(unit|EU|XI|[A-Z]{2})$"},
        "roles": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "country_in": {"oneOf": [{"const": "jurisdiction"}, {"type": "array", "items": {"type": "string", "pattern": _MARKET}, "minItems": 1}]},
        "fields": {"type": "array", "items": {"enum": ["name", "address", "email", "phone", "country"]}}}},
    "contact_on_pack": {"type": "object", "additionalProperties": False, "required": ["role"], "properties": {
        "role": _STR_OR_LIST, "jurisdiction": {"type": "string", "pattern": r"^(unit|EU|XI|[A-Z]{2})$"},
        "channels_all": {"type": "array", "items": {"enum": ["address", "email", "phone", "url"]}},
        "channels_any": {"type": "array", "items": {"enum": ["address", "email", "phone", "url"]}}}},
    "languages": {"type": "object", "additionalProperties": False, "required": ["path", "table"], "properties": {
        "path": {"type": "string", "pattern": _PATH}, "table": {"type": "string"}}},
    "substances_absent": {"type": "object", "additionalProperties": False, "required": ["table"], "properties": {
        "table": {"type": "string"}, "in": {"type": "array", "items": {"enum": ["ingredients", "substances"]}, "minItems": 1}}},
    "substance_limit": {"type": "object", "additionalProperties": False, "required": ["max_pct"],
                        "anyOf": [{"required": ["cas"]}, {"required": ["names"]}], "properties": {
        "cas": _STR_LIST, "names": _STR_LIST, "max_pct": {"type": "number", "minimum": 0},
        "max_exclusive": {"type": "boolean"}, "key": {"type": "string", "pattern": r"^[a-z0-9_]+$"},
        "where": _ITEM_FILTER, "exempt_if": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9_]+$"}, "minItems": 1},
        "in": {"type": "array", "items": {"enum": ["ingredients", "substances"]}, "minItems": 1}}},
    "substance_sum": {"type": "object", "additionalProperties": False, "required": ["max_pct"],
                      "anyOf": [{"required": ["cas"]}, {"required": ["names"]}], "properties": {
        "cas": _STR_LIST, "names": _STR_LIST, "max_pct": {"type": "number", "minimum": 0},
        "per": {"const": "component"}, "where": _ITEM_FILTER, "max_exclusive": {"type": "boolean"},
        "exempt_if": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9_]+$"}, "minItems": 1},
        "in": {"type": "array", "items": {"enum": ["ingredients", "substances"]}, "minItems": 1}}},
    "named_in_ingredients": {"type": "object", "additionalProperties": False, "required": ["table", "threshold_key"],
                             "properties": {"table": {"type": "string"}, "sets": _STR_LIST,
                                            "threshold_key": {"type": "string", "pattern": r"^[a-z0-9_]+$"}}},
    "phrases_absent": {"type": "object", "additionalProperties": False, "required": ["table", "in"], "properties": {
        "table": {"type": "string"}, "lists": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "except_lists": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "in": {"type": "array", "items": {"type": "string", "pattern": _PATH}, "minItems": 1}}},
    "empty_space_ratio": {"type": "object", "additionalProperties": False, "required": ["box", "product_volume", "max"],
                          "properties": {"box": {"type": "string", "pattern": _PATH},
                                         "product_volume": {"type": "string", "pattern": _PATH},
                                         "max": {"type": "number", "minimum": 0, "maximum": 1}}},
    "size_tier": {"type": "object", "additionalProperties": False, "required": ["table", "package"], "properties": {
        "table": {"type": "string"}, "package": {"type": "string", "pattern": _PATH},
        "fail_tiers": {"type": "array", "items": {"type": "string"}}}},
    "bands_within": {"type": "object", "additionalProperties": False, "required": ["path", "table"], "properties": {
        "path": {"type": "string", "pattern": _PATH}, "table": {"type": "string"}}},
    "standards_current": {"type": "object", "additionalProperties": False, "required": ["table"], "properties": {
        "table": {"type": "string"}, "documents": {"type": "array", "items": {"type": "string"}, "minItems": 1}}},
    "descending": {"type": "object", "additionalProperties": False, "required": ["path", "key"], "properties": {
        "path": {"type": "string", "pattern": _PATH}, "key": {"type": "string"}, "until_at_most": {"type": "number"}}},
    "schema": {"type": "object"},
    "any_of": {"type": "array", "items": {"$ref": "#/$defs/requirement"}, "minItems": 2},
    "all_of": {"type": "array", "items": {"$ref": "#/$defs/requirement"}, "minItems": 2},
}

REQUIREMENT = {
    "type": "object",
    "properties": {**_REQ_COMMON, **_REQUIREMENT_KINDS},
    "additionalProperties": False,
    "oneOf": [{"required": [k]} for k in _REQUIREMENT_KINDS],
}

RULE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "severity", "legal_basis", "references", "effective"],
    "properties": {
        "id": {"type": "string", "pattern": _RULE_ID},
        "title": {"type": "string", "minLength": 1},
        "severity": _SEVERITY,
        "legal_basis": {"type": "string", "minLength": 1},
        "references": {"type": "array", "items": {"type": "string", "pattern": _URL}, "minItems": 1},
        "verification": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                                    "required": ["fact", "source", "result"], "properties": {
            "fact": {"type": "string"}, "source": {"type": "string", "pattern": _URL},
            "result": {"enum": ["held", "changed", "unconfirmed"]}, "note": {"type": "string"}}}},
        "effective": {"type": "object", "additionalProperties": False, "required": ["from"], "properties": {
            "from": {"oneOf": [_DATE, {"type": "null"}]}, "until": {"oneOf": [_DATE, {"type": "null"}]}}},
        "markets": {"type": "array", "items": {"type": "string", "pattern": _MARKET}, "minItems": 1},
        "scope": {"enum": ["unit", "listing", "seller"]},
        "when": {"$ref": "#/$defs/condition"},
        "requires": {"type": "array", "items": {"$ref": "#/$defs/requirement"}},
        "derive": {"type": "string", "pattern": _FACT},
        "escalates": {"type": "object", "additionalProperties": False, "required": ["from", "to"],
                      "properties": {"from": _DATE, "to": _SEVERITY}},
        "message": {"type": "string"},
        "pass_message": {"type": "string"},
        "remediation": {"type": "string"},
        "waivable": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "unverified": {"type": "boolean"},
    },
}

PACK_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://raw.githubusercontent.com/compliance-engine/compliance-engine/main/schemas/rulepack.schema.json",
    "title": "compliance-engine rule pack",
    "type": "object",
    "additionalProperties": False,
    "required": ["pack", "title", "jurisdiction", "version", "markets", "rules"],
    "properties": {
        "pack": {"type": "string", "pattern": _ID},
        "title": {"type": "string", "minLength": 1},
        "jurisdiction": {"type": "string", "pattern": r"^(EU|GB|XI|US|ID|VN|TH|MY|SG|PH|SEA|[A-Z]{2})$"},
        "version": {"type": "string", "minLength": 1},
        "min_engine_version": {"type": "string", "pattern": r"^\d+\.\d+(\.\d+)?$"},
        "markets": {"type": "array", "items": {"type": "string", "pattern": _MARKET}, "minItems": 1},
        "description": {"type": "string"},
        "sources": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["url"],
                                               "properties": {"title": {"type": "string"}, "url": {"type": "string", "pattern": _URL}}}},
        "data": {"type": "object", "additionalProperties": {"type": "string", "pattern": r"^data/[A-Za-z0-9_.-]+\.ya?ml$"}},
        "derive": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["fact", "when"],
                                              "properties": {"fact": {"type": "string", "pattern": _FACT},
                                                             "when": {"$ref": "#/$defs/condition"},
                                                             "note": {"type": "string"}}}},
        "rules": {"type": "array", "items": RULE},
    },
    "$defs": {"condition": CONDITION, "requirement": REQUIREMENT},
}

DATA_TABLE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://raw.githubusercontent.com/compliance-engine/compliance-engine/main/schemas/rulepack-data.schema.json",
    "title": "compliance-engine rule pack data table",
    "type": "object",
    "additionalProperties": False,
    "required": ["table", "title", "source", "as_of", "entries"],
    "properties": {
        "table": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
        "title": {"type": "string"},
        "source": {"oneOf": [{"type": "string", "pattern": _URL},
                             {"type": "array", "items": {"type": "string", "pattern": _URL}, "minItems": 1}]},
        "as_of": _DATE,
        "coverage": {"type": "string"},
        "note": {"type": "string"},
        "entries": {"oneOf": [
            {"type": "object", "additionalProperties": {"oneOf": [
                {"type": "array", "items": _SCALAR},
                {"type": "object", "additionalProperties": False, "required": ["all"],
                 "properties": {"all": {"type": "array", "items": _SCALAR, "minItems": 1}}},
                _SCALAR]}},
            {"type": "array", "items": {"type": "object"}},
        ]},
    },
}
