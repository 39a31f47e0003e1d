"""eu.cosmetics: every numeric limit at, just below and just above it, every dated entry before and on/after its
date, and the pack's requirements in step with its data tables.

Products are built from one compliant face cream (a Guangzhou brand sold in Germany) and changed one field at a
time; assertions read what a user sees: the finding's status, severity and message.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from compliance_engine import Checker
from tests.conftest import AS_OF, ROOT

EU = ROOT / "rulepacks" / "eu"
PACK = yaml.safe_load((EU / "cosmetics.yaml").read_text(encoding="utf-8"))
RULES = {r["id"]: r for r in PACK["rules"]}


def table(name: str) -> dict:
    return yaml.safe_load((EU / "data" / f"{name}.yaml").read_text(encoding="utf-8"))


BASE = {
    "kind": "Product",
    "sku": "T-COS",
    "category": "cosmetics",
    "markets": ["DE"],
    "country_of_origin": "CN",
    "economic_operators": [
        {"jurisdiction": "EU", "role": "responsible-person", "name": "Yunmei Europe GmbH",
         "address": "Hansaallee 201, 40549 Düsseldorf", "country": "DE", "email": "rp@yunmei.example"}],
    "cosmetic": {"application": "leave-on", "areas": ["face"], "shelf_life_months": 36},
    "ingredients": [
        {"name": "Aqua", "percent": 80.0},
        {"name": "Glycerin", "percent": 8.0},
        {"name": "Phenoxyethanol", "percent": 0.9},
        {"name": "Parfum", "percent": 0.3, "function": "fragrance"},
    ],
    # the perfume supplier's allergen declaration: a trace of Limonene, below every labelling threshold
    "substances": [{"name": "Limonene", "cas": "5989-27-5", "concentration_pct": 0.0005}],
    "labelling": {
        "languages": ["de"], "ingredient_list": True, "net_quantity": "50 ml", "period_after_opening_months": 12,
        "expiry_date": False, "batch_code": True, "origin_statement": "Hergestellt in China",
        "contacts_on_pack": [{"role": "responsible-person", "jurisdiction": "EU", "channels": ["address"]}],
    },
    "documents": [
        {"id": "doc-cpsr", "type": "cosmetic-safety-assessment", "covers": ["COSMETICS"], "issued": "2013-01-20"},
        {"id": "doc-pif", "type": "product-information-file", "covers": ["COSMETICS"], "issued": "2013-01-25"},
        {"id": "doc-gmp", "type": "gmp-certificate", "standards": ["ISO 22716:2007"], "issued": "2013-01-01"},
    ],
    "registrations": [{"type": "cpnp-notification", "market": "EU", "number": "4012345", "issued": "2013-02-03"}],
}
LISTING = {"marketplace": "amazon", "market": "DE", "title": "Yunmei Tagescreme 50 ml"}
VITAMIN_A_WARNING = {"key": "cosmetic-caution", "text": "Enthält Vitamin A. Berücksichtigen Sie vor der Anwendung Ihre tägliche Aufnahme."}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(packs=["eu.cosmetics"], as_of=AS_OF)


def product(*, ingredients=(), substances=None, cosmetic=None, labelling=None, **top) -> dict:
    p = copy.deepcopy(BASE)
    p["ingredients"] = p["ingredients"] + [dict(i) for i in ingredients]
    if substances is not None:
        p["substances"] = [dict(s) for s in substances]
    if cosmetic is not None:
        p["cosmetic"] = {**p["cosmetic"], **cosmetic}
    if labelling is not None:
        p["labelling"] = {**p["labelling"], **labelling}
    p.update(top)
    return p


def finding(checker, p, rule, market="DE", as_of=AS_OF, listing=None):
    found = {f.rule: f for f in checker.check(p, market, listing=listing, as_of=as_of)}
    return found.get(f"eu.cosmetics.{rule}")


def test_base_product_passes_every_rule(checker):
    for rule in RULES:
        f = finding(checker, product(), rule.split(".", 2)[2], listing=LISTING)
        assert f is not None and f.status == "pass", (rule, f and f.message)
    # fragranced but no allergen declaration: a warning to get it (both allergen rules)
    p = product()
    del p["substances"]
    for rule in ("labelling", "fragrance-allergens-2023-1545"):
        f = finding(checker, p, rule)
        assert f.status == "fail" and f.severity == "warning" and "allergen content of the fragrance" in f.message


# ------------------------------------------------------------------------------------------ Annex III limits

BODY = {"application": "leave-on", "areas": ["body"]}
FACE = {"application": "leave-on", "areas": ["face"]}
HANDS = {"application": "leave-on", "areas": ["hands"]}
FACE_WASH = {"application": "rinse-off", "areas": ["face"]}

LIMITS = [
    # (ingredient, cas, product type, limit %, step)
    ("Retinol", "68-26-8", BODY, 0.05, 0.001),
    ("Retinol", "68-26-8", FACE, 0.3, 0.01),
    ("Retinol", "68-26-8", FACE_WASH, 0.3, 0.01),
    ("Retinyl Acetate", "127-47-9", BODY, 0.0573, 0.0001),
    ("Retinyl Acetate", "127-47-9", FACE, 0.344, 0.001),
    ("Retinyl Palmitate", "79-81-2", BODY, 0.0916, 0.0001),
    ("Retinyl Palmitate", "79-81-2", FACE, 0.5496, 0.0001),
    ("Alpha-Arbutin", "84380-01-8", FACE, 2, 0.01),
    ("Alpha-Arbutin", "84380-01-8", BODY, 0.5, 0.01),
    ("Arbutin", "497-76-7", FACE, 7, 0.01),
    ("Kojic Acid", "501-30-4", FACE, 1, 0.01),
    ("Kojic Acid", "501-30-4", HANDS, 1, 0.01),
    ("Genistein", "446-72-0", BODY, 0.007, 0.0001),
    ("Daidzein", "486-66-8", FACE, 0.02, 0.001),
]


@pytest.mark.parametrize("offset,ok", [(-1, True), (0, True), (1, False)], ids=["below", "at", "above"])
@pytest.mark.parametrize("name,cas,ptype,limit,step", LIMITS,
                         ids=[f"{n}-{'+'.join(t['areas'])}-{t['application']}-{lim}" for n, _, t, lim, _ in LIMITS])
def test_annex_iii_limit(checker, name, cas, ptype, limit, step, offset, ok):
    pct = round(limit + offset * step, 6)
    p = product(ingredients=[{"name": name, "cas": cas, "percent": pct}], cosmetic=ptype,
                labelling={"warnings": [VITAMIN_A_WARNING]})
    f = finding(checker, p, "annex-iii-restricted")
    assert f.status == ("pass" if ok else "fail"), f.message
    if not ok:
        assert f.severity == "error"
        assert f"is at {pct:g} %; it must be at most {limit:g} %" in f.message


@pytest.mark.parametrize("name,cas,ptype", [
    ("Alpha-Arbutin", "84380-01-8", FACE_WASH),          # rinse-off: neither face cream nor body lotion
    ("Alpha-Arbutin", "84380-01-8", HANDS),
    ("Arbutin", "497-76-7", BODY),                        # only face creams
    ("Kojic Acid", "501-30-4", BODY),                     # only face and hand products
])
def test_annex_iii_product_type_not_allowed(checker, name, cas, ptype):
    ok = finding(checker, product(ingredients=[{"name": name, "cas": cas, "percent": 0}], cosmetic=ptype), "annex-iii-restricted")
    assert ok.status == "pass"  # 0 % is at the limit of "not allowed"
    f = finding(checker, product(ingredients=[{"name": name, "cas": cas, "percent": 0.01}], cosmetic=ptype), "annex-iii-restricted")
    assert f.status == "fail" and f.severity == "error"
    assert f"no {name} outside" in f.message


def test_annex_iii_needs_product_type_and_matches_names_case_insensitively(checker):
    p = product(ingredients=[{"name": "ALPHA-ARBUTIN", "percent": 1.0}])
    del p["cosmetic"]
    f = finding(checker, p, "annex-iii-restricted")
    assert f.status == "fail" and "the product type (cosmetic.application and cosmetic.areas)" in f.message
    p = product(ingredients=[{"name": "alpha-arbutin", "percent": 2.5}])
    assert "Alpha-Arbutin at most 2 % in a face cream" in finding(checker, p, "annex-iii-restricted").message


def test_vitamin_a_warning_and_combined_forms(checker):
    p = product(ingredients=[{"name": "Retinol", "percent": 0.1}])
    f = finding(checker, p, "annex-iii-restricted")
    assert f.status == "fail" and "Contains Vitamin A. Consider your daily intake before use" in f.message
    # two forms, each within its own limit, whose raw sum exceeds 0.3 %: a warning only
    p = product(ingredients=[{"name": "Retinol", "percent": 0.2}, {"name": "Retinyl Palmitate", "percent": 0.2}],
                labelling={"warnings": [VITAMIN_A_WARNING]})
    f = finding(checker, p, "annex-iii-restricted")
    assert f.status == "fail" and f.severity == "warning" and "combined vitamin A forms" in f.message


def test_unknown_percentage_of_a_restricted_ingredient_fails(checker):
    f = finding(checker, product(ingredients=[{"name": "Kojic Acid"}]), "annex-iii-restricted")
    assert f.status == "fail" and "ingredients[4].percent is unknown; it must be at most 1 %" in f.message


# ------------------------------------------------------------------------------------------ Annex III dates

@pytest.mark.parametrize("as_of,status", [
    ("2025-01-31", "pass"),   # before the first date of Reg (EU) 2024/996 for arbutin & co.
    ("2025-02-01", "fail"),   # no placing of non-compliant products
    ("2025-10-31", "fail"),   # (stock placed before may still be sold: a waiver)
    ("2025-11-01", "fail"),   # no making available at all
])
def test_arbutin_group_dates(checker, as_of, status):
    p = product(ingredients=[{"name": "Alpha-Arbutin", "percent": 3.0}])
    f = finding(checker, p, "annex-iii-restricted", as_of=dt.date.fromisoformat(as_of))
    assert f.status == status
    if status == "fail":
        assert "from 1 Feb 2025, stock until 31 Oct 2025" in f.message and f.severity == "error"


@pytest.mark.parametrize("as_of,status", [
    ("2025-10-31", "pass"), ("2025-11-01", "fail"), ("2027-04-30", "fail"), ("2027-05-01", "fail")])
def test_vitamin_a_dates(checker, as_of, status):
    p = product(ingredients=[{"name": "Retinol", "percent": 0.5}], labelling={"warnings": [VITAMIN_A_WARNING]})
    f = finding(checker, p, "annex-iii-restricted", as_of=dt.date.fromisoformat(as_of))
    assert f.status == status
    if status == "fail":
        assert "Retinol at most 0.3 %" in f.message and "from 1 Nov 2025, stock until 30 Apr 2027" in f.message


# ------------------------------------------------------------------------------------------ Annex II

ANNEX_II_DATES = [
    # (ingredient, cas, first date, text in the label)
    ("Butylphenyl Methylpropional", "80-54-6", "2022-03-01", "Lilial"),
    ("Zinc Pyrithione", "13463-41-7", "2022-03-01", "Zinc Pyrithione"),
    ("Hydroxyisohexyl 3-Cyclohexene Carboxaldehyde", "31906-04-4", "2019-08-23", "HICC (Lyral)"),
    ("Trimethylbenzoyl Diphenylphosphine Oxide", "75980-60-8", "2025-09-01", "TPO"),
    ("Dimethyltolylamine", "99-97-8", "2025-09-01", "Dimethyltolylamine"),
    ("4-Methylbenzylidene Camphor", "36861-47-9", "2025-05-01", "4-Methylbenzylidene Camphor"),
]


@pytest.mark.parametrize("name,cas,first,text", ANNEX_II_DATES, ids=[t for *_, t in ANNEX_II_DATES])
def test_annex_ii_ban_starts_on_its_date(checker, name, cas, first, text):
    p = product(substances=[{"name": name, "cas": cas, "concentration_pct": 0.01}])
    day = dt.date.fromisoformat(first)
    before = finding(checker, p, "annex-ii-prohibited", as_of=day - dt.timedelta(days=1))
    on = finding(checker, p, "annex-ii-prohibited", as_of=day)
    assert before.status == "pass"
    assert on.status == "fail" and on.severity == "error" and text in on.message
    # matched by name alone too (no CAS), case-insensitively
    p = product(ingredients=[{"name": name.upper(), "percent": 0.5}])
    assert finding(checker, p, "annex-ii-prohibited", as_of=day).status == "fail"


@pytest.mark.parametrize("name,as_of", [
    ("Hydroxyisohexyl 3-Cyclohexene Carboxaldehyde", "2021-08-22"), ("Hydroxyisohexyl 3-Cyclohexene Carboxaldehyde", "2021-08-23"),
    ("4-Methylbenzylidene Camphor", "2026-04-30"), ("4-Methylbenzylidene Camphor", "2026-05-01")])
def test_annex_ii_second_date_keeps_the_ban(checker, name, as_of):
    """Lyral (23 Aug 2021) and 4-MBC (1 May 2026) end the sell-off of old stock; new placings already failed."""
    p = product(ingredients=[{"name": name, "percent": 0.5}])
    f = finding(checker, p, "annex-ii-prohibited", as_of=dt.date.fromisoformat(as_of))
    assert f.status == "fail" and f.severity == "error"
    assert ("nor made available from 23 Aug 2021" in f.message) or ("nor made available from 1 May 2026" in f.message)


def test_long_standing_bans_and_hydroquinone_nail_exception(checker):
    for name in ("Mercury", "Calomel", "Clobetasol Propionate", "Hydroquinone"):
        f = finding(checker, product(ingredients=[{"name": name, "percent": 0.001}]), "annex-ii-prohibited",
                    as_of=dt.date(2013, 7, 11))
        assert f.status == "fail", name
    nails = {"application": "leave-on", "areas": ["nails"], "professional_use": True}
    for pct, status in ((0.019, "pass"), (0.02, "pass"), (0.021, "fail")):
        p = product(ingredients=[{"name": "Hydroquinone", "percent": pct}], cosmetic=nails)
        assert finding(checker, p, "annex-ii-prohibited").status == status, pct
    consumer_nails = {"application": "leave-on", "areas": ["nails"], "professional_use": False}
    p = product(ingredients=[{"name": "Hydroquinone", "percent": 0.01}], cosmetic=consumer_nails)
    assert "no hydroquinone" in finding(checker, p, "annex-ii-prohibited").message


# ------------------------------------------------------------------------------------------ fragrance allergens

@pytest.mark.parametrize("application,threshold", [("leave-on", 0.001), ("rinse-off", 0.01), (None, 0.001)])
@pytest.mark.parametrize("offset,ok", [(-0.1, True), (0, True), (0.1, False)], ids=["below", "at", "above"])
@pytest.mark.parametrize("rule,allergen", [("labelling", "Linalool"), ("fragrance-allergens-2023-1545", "Vanillin")])
def test_allergen_threshold(checker, rule, allergen, application, threshold, offset, ok):
    pct = round(threshold * (1 + offset), 8)
    cosmetic = {"application": application} if application else {}
    p = product(substances=[{"name": allergen, "concentration_pct": pct}], cosmetic=cosmetic)
    if application is None:
        del p["cosmetic"]["application"]  # unknown application: the stricter leave-on threshold
    f = finding(checker, p, rule)
    assert f.status == ("pass" if ok else "fail"), f.message
    if not ok:
        assert f"{allergen} at {pct:g} % (above {threshold:g} %) is not named in the ingredient list" in f.message
    # named in the ingredient list (any case): passes at any level
    p["ingredients"].append({"name": allergen.upper(), "percent": pct})
    assert finding(checker, p, rule).status == "pass"


@pytest.mark.parametrize("as_of,status,severity", [
    ("2023-08-15", None, None),          # before Reg (EU) 2023/1545 entered into force: no finding
    ("2023-08-16", "fail", "warning"),
    ("2026-07-31", "fail", "warning"),   # last day non-compliant products may still be placed on the market
    ("2026-08-01", "fail", "error"),     # new placings must comply
    ("2028-07-31", "fail", "error"),     # (last day old stock may be made available: a waiver)
    ("2028-08-01", "fail", "error"),
])
def test_fragrance_allergens_2023_1545_escalation(checker, as_of, status, severity):
    p = product(substances=[{"name": "Hexamethylindanopyran", "concentration_pct": 0.5}])
    f = finding(checker, p, "fragrance-allergens-2023-1545", as_of=dt.date.fromisoformat(as_of))
    if status is None:
        assert f is None
    else:
        assert (f.status, f.severity) == (status, severity) and "Hexamethylindanopyran" in f.message


def test_fragrance_rule_needs_a_fragrance(checker):
    p = product(substances=[{"name": "Vanillin", "concentration_pct": 0.5}])
    p["ingredients"] = [i for i in p["ingredients"] if i["name"] != "Parfum"]
    assert finding(checker, p, "fragrance-allergens-2023-1545") is None


# ------------------------------------------------------------------------------------------ label

@pytest.mark.parametrize("months,expiry,pao,status", [
    (29, True, None, "pass"), (30, True, None, "pass"), (31, True, None, "fail"),     # > 30 months needs the PAO
    (29, False, 12, "fail"), (30, False, 12, "fail"), (31, False, 12, "pass"),      # <= 30 months needs the date
])
def test_durability_30_month_rule(checker, months, expiry, pao, status):
    lab = {"expiry_date": expiry}
    if pao is None:
        p = product(cosmetic={"shelf_life_months": months}, labelling=lab)
        del p["labelling"]["period_after_opening_months"]
    else:
        p = product(cosmetic={"shelf_life_months": months}, labelling={**lab, "period_after_opening_months": pao})
    f = finding(checker, p, "labelling")
    assert f.status == status, f.message
    if status == "fail":
        assert ("keeps more than 30 months" in f.message) if months > 30 else ("keeps 30 months or less" in f.message)


@pytest.mark.parametrize("net,status,severity", [
    ("4.9 ml", "pass", None), ("5 g", "pass", None), ("50 ml", "pass", None), ("30 pads", "pass", None),
    ("1.7 fl oz", "fail", "error"),     # printed, but not metric
    (None, "fail", "warning"),          # nothing printed: could be a pack under 5 g / 5 ml or a sample
])
def test_nominal_content(checker, net, status, severity):
    p = product()
    if net is None:
        del p["labelling"]["net_quantity"]
    else:
        p["labelling"]["net_quantity"] = net
    f = finding(checker, p, "labelling")
    assert f.status == status
    if severity:
        assert f.severity == severity and "nominal content" in f.message


def test_label_language_and_batch(checker):
    f = finding(checker, product(labelling={"languages": ["en", "zh"], "batch_code": False}), "labelling")
    assert f.status == "fail" and "batch number" in f.message and "labelling.languages has en and zh, not de for DE" in f.message
    assert finding(checker, product(labelling={"languages": ["nl"]}), "labelling", market="BE").status == "fail"
    assert finding(checker, product(labelling={"languages": ["nl", "fr"]}), "labelling", market="BE").status == "pass"


# ------------------------------------------------------------------------------------------ operators, notification

def test_responsible_person_eu_and_northern_ireland(checker):
    p = product()
    assert finding(checker, p, "responsible-person", market="XI").status == "pass"   # an EU RP serves NI
    ni = product(economic_operators=[{"jurisdiction": "XI", "role": "responsible-person", "name": "NI Ltd",
                                      "address": "1 Donegall Sq, Belfast", "country": "XI"}],
                 labelling={"contacts_on_pack": [{"role": "responsible-person", "jurisdiction": "XI"}]})
    assert finding(checker, ni, "responsible-person", market="XI").status == "pass"
    f = finding(checker, ni, "responsible-person", market="DE")                           # an NI RP does not serve DE
    assert f.status == "fail" and "established in the EU" in f.message
    gb = product(economic_operators=[{"jurisdiction": "GB", "role": "responsible-person", "name": "UK Ltd",
                                      "address": "Leeds", "country": "GB"}])
    assert finding(checker, gb, "responsible-person", market="XI").status == "fail"
    # the Chinese manufacturer's address on the pack does not stand in for the responsible person's
    cn = product(labelling={"contacts_on_pack": [{"role": "manufacturer"}]})
    f = finding(checker, cn, "responsible-person")
    assert f.status == "fail" and "name and address on the container and packaging" in f.message


def test_cpnp_and_safety_file(checker):
    p = product(registrations=[{"type": "cpnp-notification", "market": "EU", "number": "1", "expires": "2020-01-01"}])
    f = finding(checker, p, "cpnp-notification")
    assert f.status == "fail" and "registration 1 expired on 2020-01-01" in f.message
    p = product(registrations=[])
    f = finding(checker, p, "cpnp-notification")
    assert f.status == "fail" and "no CPNP notification with its reference number" in f.message
    p = product(documents=[d for d in BASE["documents"] if d["type"] == "gmp-certificate"])
    f = finding(checker, p, "pif-cpsr")
    assert f.status == "fail" and f.severity == "error" and "cosmetic product safety report" in f.message
    p = product(documents=[d for d in BASE["documents"] if d["type"] != "gmp-certificate"])
    f = finding(checker, p, "pif-cpsr")
    assert f.status == "fail" and f.severity == "warning" and "ISO 22716" in f.message


@pytest.mark.parametrize("rule,day", [("responsible-person", "2013-07-11"), ("annex-iii-restricted", "2013-07-11")])
def test_rules_start_with_the_regulation(checker, rule, day):
    d = dt.date.fromisoformat(day)
    assert finding(checker, product(), rule, as_of=d - dt.timedelta(days=1)) is None
    assert finding(checker, product(), rule, as_of=d) is not None


# ------------------------------------------------------------------------------------------ claims


@pytest.mark.parametrize("text,status,severity,quoted", [
    ("Soothes and treats eczema", "fail", "error", '"treats eczema" (medicinal)'),
    ("Entzündungshemmend und beruhigend", "fail", "error", '"Entzündungshemmend" (medicinal)'),
    ("CPNP certified formula", "fail", "error", '"CPNP certified" (authority-approval)'),
    ("Clinically proven results", "fail", "error", '"Clinically proven" (clinically-proven)'),
    ("Paraben-free and gentle", "fail", "warning", '"Paraben-free" (free-from)'),
    ("Hypoallergenic formula", "fail", "warning", '"Hypoallergenic" (free-from)'),
    ("Moisturises for 24 hours", "pass", None, None),
])
def test_claim_phrases_are_quoted_with_their_field(checker, text, status, severity, quoted):
    f = finding(checker, product(), "claims", listing={**LISTING, "bullets": [text]})
    assert f.status == status, f.message
    if quoted:
        assert f.severity == severity and f"{quoted} in listing.bullets[0]" in f.message


def test_clinically_proven_passes_with_a_study(checker):
    p = product(claims=[{"text": "Clinically proven to reduce dark spots", "substantiation": "doc-study"}],
                documents=BASE["documents"] + [{"id": "doc-study", "type": "claim-substantiation", "kind": "rct",
                                                "issued": "2024-01-01"}])
    assert finding(checker, p, "claims").status == "pass"
    p["claims"].append({"text": "Für trockene Haut"})
    f = finding(checker, p, "claims")
    assert f.status == "fail" and "claims[1]" in " ".join(f.missing_fields)


@pytest.mark.parametrize("as_of,status", [("2019-06-30", "pass"), ("2019-07-01", "fail")])
def test_free_from_guidance_applies_from_july_2019(checker, as_of, status):
    f = finding(checker, product(), "claims", listing={**LISTING, "bullets": ["Paraben-free"]},
                as_of=dt.date.fromisoformat(as_of))
    assert f.status == status


# ------------------------------------------------------------------------------------------ pack <-> data tables

def _requirements(rule_id):
    out = []
    stack = list(RULES[rule_id]["requires"])
    while stack:
        q = stack.pop()
        out.append(q)
        stack += q.get("any_of", []) + q.get("all_of", [])
    return out


@pytest.mark.parametrize("rule,allergen_set", [("eu.cosmetics.labelling", "existing-24"),
                                               ("eu.cosmetics.fragrance-allergens-2023-1545", "added-2023-1545")])
def test_allergen_requirements_read_their_set_of_the_table(rule, allergen_set):
    rows = [r for r in table("eu-fragrance-allergens")["entries"] if r["set"] == allergen_set]
    assert len(rows) == (24 if allergen_set == "existing-24" else 56)
    assert all(r["leave_on_pct"] == 0.001 and r["rinse_off_pct"] == 0.01 for r in rows)
    specs = [q["named_in_ingredients"] for q in _requirements(rule) if "named_in_ingredients" in q]
    assert sorted(s["threshold_key"] for s in specs) == ["leave_on_pct", "rinse_off_pct"]
    assert all(s["sets"] == [allergen_set] and s["table"] == "eu-fragrance-allergens" for s in specs)


@pytest.mark.parametrize("rule,allergen_set", [("labelling", "existing-24"), ("fragrance-allergens-2023-1545", "added-2023-1545")])
def test_every_allergen_of_the_set_is_enforced(checker, rule, allergen_set):
    """Each table row, by its name, fails above the leave-on threshold when not named in the ingredient list."""
    for r in (r for r in table("eu-fragrance-allergens")["entries"] if r["set"] == allergen_set):
        f = finding(checker, product(substances=[{"name": r["name"], "concentration_pct": 0.002}],
                                     cosmetic={"application": "leave-on"}), rule)
        assert f.status == "fail" and f"{r['name']} at 0.002 %" in f.message, r["name"]


def test_annex_ii_rule_covers_every_table_row():
    covered_cas, covered_names = set(), set()
    for q in _requirements("eu.cosmetics.annex-ii-prohibited"):
        spec = q.get("substance_limit") or {}
        covered_cas |= set(spec.get("cas", []))
        covered_names |= {n.lower() for n in spec.get("names", [])}
    for row in table("eu-cosmetics-annex-ii")["entries"]:
        cas = row["cas"] if isinstance(row["cas"], list) else [row["cas"]]
        assert set(cas) <= covered_cas, row["name"]
        assert {n.lower() for n in [row["name"], *row.get("synonyms", [])]} <= covered_names, row["name"]
        when = row["placing_banned_from"]
        if when:
            dated = [q for q in _requirements("eu.cosmetics.annex-ii-prohibited")
                     if set(cas) & set((q.get("substance_limit") or {}).get("cas", []))]
            assert any(q.get("when") == {"since": when} for q in dated), row["name"]


def test_annex_iii_rule_uses_every_table_limit():
    used = {(tuple(sorted((q.get("substance_limit") or {}).get("cas", []))), (q.get("substance_limit") or {}).get("max_pct"))
            for q in _requirements("eu.cosmetics.annex-iii-restricted")}
    for row in table("eu-cosmetics-annex-iii")["entries"]:
        if row["name"] == "Hydroquinone":  # applied by the Annex II rule (nail exception)
            continue
        cas = tuple(sorted(row["cas"] if isinstance(row["cas"], list) else [row["cas"]]))
        for lim in row["limits"]:
            assert (cas, lim.get("max_pct_as_ingredient", lim["max_pct"])) in used, (row["name"], lim)
