#!/usr/bin/env python3
"""Validate the gazetteer YAML files under frontwatch/data/gazetteer/ and print counts per file.

Checks: valid YAML with a top-level list; required and known fields per file; ids unique across
all files; every state/host/country an ISO2 present in states.yaml (or EU for `state`); types among
the SCHEMA entity types; kinds among the allowed kinds; every UN member state present; no name or
alias shared by two entries (compared as the scorer compares names: case, accents, dots,
apostrophes, punctuation, whitespace and a leading "the" ignored); no single-letter alias and no
alias that is a plain common English word (all-caps acronyms such as US or WHO are allowed, and
listed as needing case-sensitive matching); capitals, metonyms and demonyms that do not clash with
other entries; mission cities that resolve to a place or capital of the host; ambiguous.yaml
surfaces that belong to no entry and candidates that exist.

Usage: python tools/check_gazetteer.py [--dir DIR] [--verbose]
Exit status 0 when there are no problems, 1 otherwise. Stdlib + PyYAML only.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import yaml

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "frontwatch" / "data" / "gazetteer"

ENTITY_TYPES = {
    "person",
    "state_body",
    "diplomatic_mission",
    "overseas_station",
    "organization",
    "country",
    "place",
}
KINDS = {
    "party",
    "party_department",
    "government",
    "ministry",
    "intelligence",
    "security",
    "police",
    "military",
    "legislature",
    "judiciary",
    "media",
    "operation",
    "mission",
    "ngo",
    "outlet",
    "platform",
    "company",
    "criminal_group",
    "international",
}
PLACE_LEVELS = {
    "city",
    "province",
    "state",
    "territory",
    "region",
    "nation",
    "autonomous_region",
    "municipality",
    "sar",
}

# ISO 3166-1 alpha-2 codes of the 193 UN member states.
UN_MEMBERS = set(
    """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM CA CF
TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA GM GE DE
GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG LA LV LB LS LR LY LI
LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW
PA PG PY PE PH PL PT QA KR RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD
SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM ZW
""".split()
)
REQUIRED_EXTRA_STATES = {"TW", "XK", "PS"}  # Taiwan, Kosovo, Palestine
NON_STATE_CODES = {"EU"}  # accepted in `state` only

# Fields per file: (required, optional)
FIELDS = {
    "states": ({"id", "name", "aliases", "demonyms", "capital", "metonym"}, {"extra_metonyms", "type"}),
    "places": ({"id", "name", "type", "country", "aliases"}, {"level"}),
    "bodies": ({"id", "name", "type", "aliases", "kind"}, {"state", "country"}),
    "missions": ({"id", "name", "type", "state", "kind", "city", "host", "aliases"}, {"note"}),
    "ambiguous": ({"surface", "candidates"}, {"type", "note"}),
}
FILES = [
    ("states.yaml", "states"),
    ("places.yaml", "places"),
    ("bodies_states.yaml", "bodies"),
    ("bodies_targets.yaml", "bodies"),
    ("organizations.yaml", "bodies"),
    ("missions.yaml", "missions"),
]
OPTIONAL_FILES = [("ambiguous.yaml", "ambiguous")]

# Plain English words that must not be an alias on their own (unless written as an all-caps acronym).
COMMON_WORDS = set(
    """
a about above act action after again against age agency air all also always am among an and another
any are area army around art as ask assembly at away back bad bank base be bear because bed been
before being below best better between big bill bird black blue board body book both box boy bring
brother build building bureau business but by call came can capital car care carry case cause centre
center chair change child city class clear close coast cold college come commission committee common
company conference congress consulate control cook corps could council country course court cover
cross crown cut dark day dead deal democrat democrats department diet direct do does dog done door
down draw dream drive during each early earth east eat economist embassy empire end enough even ever
every eye face fact fall family far farm fast father feel few field fight find fine fire first fish
five floor fly follow food foot for force foreign form four free friend from front full game general
get girl give globe go gold good government great green greens ground group grow guard guardian had
half hand happy hard has have he head hear heart heat help her here high hill him his hold home
horse hot hour house how ice if in independent insider intelligence interior into is island it its
justice keep kind king kingdom know labor labour land large last late law lead learn leave left less
letter liberal liberals life light like line list little live long look lord love low mail main make
man many map mark may me mean meet men met might mile military mind ministry miss money month moon
more morning most mother mountain move much must my name nation national near need network never new
news next night no north not note now number of off office often oil old on once one only open or
order other our out over own page paper parliament part party pass past people pet phoenix picture
piece place plain plan plant play point police port post power press prime province public put queen
queens question quick rain raw read ready real record red reform region rest republic republicans
right river road rock room round rule run said same saw say school sea second secret security see
seem senate sentence service set she ship short should show side signal simple since sing site size
sleep small snow so some son song soon sound south space speak spring square stand star start state
station stay step still stop story street strong study such summer sun sure table tail take talk tea
team tell ten test than that the their them then there these they thing think this those though
thought threads three through time times to together told too took top toward town tree true try
turn two under union unit until up us use very voice walk want war warm was watch water way we week
well went were west what wheel when where which while white who whole why will wind winter with wood
word work world would write year yes you young your zoom apple amazon telegram amnesty bloc dawn age
province mint sandstorm
""".split()
)

# Aliases that look like common words but are proper names in practice; each must be matched
# case-sensitively (capitalised) by the loader.
ALLOWED_COMMON = {
    "the Globe",  # The Globe and Mail, as Canadian news calls it ("told the Globe")
}


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def norm(s: str) -> str:
    """Normalise a surface form the way the scorer compares names (plus accent folding)."""
    s = strip_accents(s).casefold()
    s = re.sub(r"[.'\u2019\u2018`\u02bb]", "", s)
    s = re.sub(r"[^0-9a-z]+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def is_acronym(s: str) -> bool:
    letters = re.sub(r"[^A-Za-z\u00C0-\u024F]", "", s)
    return len(letters) >= 2 and letters.isupper()


class Checker:
    def __init__(self, directory: Path, verbose: bool = False):
        self.dir = directory
        self.verbose = verbose
        self.problems: list[str] = []
        self.case_sensitive: set[str] = set()
        self.common_names: set[str] = set()
        self.data: dict[str, list] = {}
        self.entries: dict[str, tuple[str, dict]] = {}  # id -> (file, entry)

    def problem(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

    # ---- loading and per-entry structure ----
    def load(self) -> None:
        for fname, _ in FILES + OPTIONAL_FILES:
            path = self.dir / fname
            if not path.exists():
                if (fname, _) in FILES:
                    self.problem(fname, "file missing")
                continue
            try:
                with path.open(encoding="utf-8") as f:
                    doc = yaml.safe_load(f)
            except yaml.YAMLError as exc:
                self.problem(fname, f"invalid YAML: {exc}")
                continue
            if not isinstance(doc, list):
                self.problem(fname, "top level must be a list")
                continue
            self.data[fname] = doc

    def check_string(self, where: str, field: str, value, allow_empty: bool = False) -> bool:
        if not isinstance(value, str):
            self.problem(where, f"{field} must be a string, got {type(value).__name__} {value!r}")
            return False
        if not allow_empty and not value.strip():
            self.problem(where, f"{field} is empty")
            return False
        if value != value.strip() or "  " in value or "\n" in value:
            self.problem(where, f"{field} {value!r} has stray whitespace")
        return True

    def check_str_list(self, where: str, field: str, value) -> list[str]:
        if not isinstance(value, list):
            self.problem(where, f"{field} must be a list")
            return []
        good = []
        for v in value:
            if self.check_string(where, f"{field} item", v):
                good.append(v)
        dup = [k for k, n in Counter(good).items() if n > 1]
        if dup:
            self.problem(where, f"{field} repeats {dup}")
        return good

    def check_structure(self) -> None:
        for fname, kind in FILES + OPTIONAL_FILES:
            for i, e in enumerate(self.data.get(fname, [])):
                where = f"{fname}[{i}]"
                if not isinstance(e, dict):
                    self.problem(where, "entry must be a mapping")
                    continue
                required, optional = FIELDS[kind]
                missing = required - e.keys()
                unknown = e.keys() - required - optional
                if missing:
                    self.problem(where, f"missing fields {sorted(missing)}")
                if unknown:
                    self.problem(where, f"unknown fields {sorted(unknown)}")
                if kind == "ambiguous":
                    continue
                eid = e.get("id")
                if self.check_string(where, "id", eid) and isinstance(eid, str):
                    where = f"{fname}:{eid}"
                    if eid in self.entries:
                        self.problem(where, f"id also used in {self.entries[eid][0]}")
                    else:
                        self.entries[eid] = (fname, e)
                self.check_string(where, "name", e.get("name"))
                self.check_str_list(where, "aliases", e.get("aliases", []))

    # ---- field values ----
    def check_values(self) -> None:
        state_ids = {e["id"] for e in self.data.get("states.yaml", []) if isinstance(e, dict) and "id" in e}

        def iso(where: str, field: str, v, allow_eu: bool = False) -> None:
            if allow_eu and v in NON_STATE_CODES:
                return
            if not isinstance(v, str) or not re.fullmatch(r"[A-Z]{2}", v):
                self.problem(where, f"{field} {v!r} is not an ISO2 code")
            elif v not in state_ids:
                self.problem(where, f"{field} {v!r} is not in states.yaml")

        for e in self.data.get("states.yaml", []):
            if not isinstance(e, dict):
                continue
            where = f"states.yaml:{e.get('id')}"
            if not isinstance(e.get("id"), str) or not re.fullmatch(r"[A-Z]{2}", e.get("id", "")):
                self.problem(where, "id must be an ISO2 code (quote NO)")
            if e.get("type", "country") != "country":
                self.problem(where, "type, when given, must be country")
            self.check_str_list(where, "demonyms", e.get("demonyms", []))
            self.check_string(where, "capital", e.get("capital"))
            if not isinstance(e.get("metonym"), bool):
                self.problem(where, "metonym must be true or false")
            self.check_str_list(where, "extra_metonyms", e.get("extra_metonyms", []))
        missing = (UN_MEMBERS | REQUIRED_EXTRA_STATES) - state_ids
        if missing:
            self.problem("states.yaml", f"missing states {sorted(missing)}")

        for e in self.data.get("places.yaml", []):
            if not isinstance(e, dict):
                continue
            where = f"places.yaml:{e.get('id')}"
            if e.get("type") != "place":
                self.problem(where, "type must be place")
            iso(where, "country", e.get("country"))
            if "level" in e and e["level"] not in PLACE_LEVELS:
                self.problem(where, f"level {e['level']!r} not in {sorted(PLACE_LEVELS)}")

        for fname in ("bodies_states.yaml", "bodies_targets.yaml", "organizations.yaml"):
            for e in self.data.get(fname, []):
                if not isinstance(e, dict):
                    continue
                where = f"{fname}:{e.get('id')}"
                t = e.get("type")
                if t not in ENTITY_TYPES:
                    self.problem(where, f"type {t!r} is not a SCHEMA type")
                elif t not in ("state_body", "organization"):
                    self.problem(where, f"type {t!r} does not belong in {fname}")
                if e.get("kind") not in KINDS:
                    self.problem(where, f"kind {e.get('kind')!r} not allowed")
                if t == "state_body" and "state" not in e:
                    self.problem(where, "a state_body needs a state")
                if "state" in e:
                    iso(where, "state", e["state"], allow_eu=True)
                if "country" in e:
                    iso(where, "country", e["country"])

        for e in self.data.get("missions.yaml", []):
            if not isinstance(e, dict):
                continue
            where = f"missions.yaml:{e.get('id')}"
            if e.get("type") != "diplomatic_mission":
                self.problem(where, "type must be diplomatic_mission")
            if e.get("kind") != "mission":
                self.problem(where, "kind must be mission")
            iso(where, "state", e.get("state"))
            iso(where, "host", e.get("host"))
            self.check_string(where, "city", e.get("city"))
            if e.get("state") == e.get("host"):
                self.problem(where, "a mission's state and host must differ")

    # ---- surface forms ----
    def check_surfaces(self) -> None:
        owner: dict[str, set[str]] = defaultdict(set)  # normalised form -> entry ids
        raw: dict[str, set[str]] = defaultdict(set)
        country_of: dict[str, str] = {}
        for eid, (fname, e) in self.entries.items():
            country_of[eid] = (
                e.get("country") or e.get("host") or e.get("state") or (eid if fname == "states.yaml" else "")
            )
            forms = [e.get("name")] + list(e.get("aliases") or [])
            for i, form in enumerate(forms):
                if not isinstance(form, str) or not form.strip():
                    continue
                n = norm(form)
                where = f"{fname}:{eid}"
                if len(re.sub(r"[^0-9a-z]", "", n)) <= 1:
                    self.problem(where, f"{form!r} is a single letter or empty once normalised")
                    continue
                owner[n].add(eid)
                raw[n].add(form)
                words = n.split()
                if len(words) == 1 and words[0] in COMMON_WORDS:
                    if is_acronym(form):
                        self.case_sensitive.add(form)
                    elif i == 0:
                        self.common_names.add(form)
                    elif form not in ALLOWED_COMMON:
                        self.problem(where, f"alias {form!r} is a plain common English word")
                    else:
                        self.case_sensitive.add(form)
        for n, ids in owner.items():
            if len(ids) > 1:
                self.problem("surface", f"{sorted(raw[n])} shared by {sorted(ids)}")

        # states: capitals, metonyms, demonyms
        capitals: dict[str, str] = {}
        demonyms: dict[str, str] = {}
        for e in self.data.get("states.yaml", []):
            if not isinstance(e, dict) or not isinstance(e.get("id"), str):
                continue
            sid = e["id"]
            cap = e.get("capital")
            if isinstance(cap, str):
                n = norm(cap)
                if n in capitals:
                    self.problem(f"states.yaml:{sid}", f"capital {cap!r} also the capital of {capitals[n]}")
                capitals[n] = sid
            for m in ([cap] if isinstance(cap, str) else []) + list(e.get("extra_metonyms") or []):
                if not isinstance(m, str):
                    continue
                for other in owner.get(norm(m), ()):
                    if other != sid and country_of.get(other) != sid:
                        self.problem(
                            f"states.yaml:{sid}",
                            f"capital/metonym {m!r} is also {other} ({country_of.get(other)})",
                        )
            for d in e.get("demonyms") or []:
                if not isinstance(d, str):
                    continue
                n = norm(d)
                if n in demonyms and demonyms[n] != sid:
                    self.problem(f"states.yaml:{sid}", f"demonym {d!r} also a demonym of {demonyms[n]}")
                demonyms[n] = sid
                for other in owner.get(n, ()):
                    if other != sid:
                        self.problem(f"states.yaml:{sid}", f"demonym {d!r} is also a name/alias of {other}")

        # mission cities resolve to a place of the host country or a capital/metonym of the host
        city_country: dict[str, set[str]] = defaultdict(set)
        for e in self.data.get("places.yaml", []):
            if isinstance(e, dict):
                for f in [e.get("name")] + list(e.get("aliases") or []):
                    if isinstance(f, str):
                        city_country[norm(f)].add(str(e.get("country")))
        for e in self.data.get("states.yaml", []):
            if isinstance(e, dict):
                for f in [e.get("capital")] + list(e.get("extra_metonyms") or []):
                    if isinstance(f, str):
                        city_country[norm(f)].add(str(e.get("id")))
        for e in self.data.get("missions.yaml", []):
            if isinstance(e, dict) and isinstance(e.get("city"), str):
                if e.get("host") not in city_country.get(norm(e["city"]), set()):
                    self.problem(
                        f"missions.yaml:{e.get('id')}",
                        f"city {e['city']!r} does not resolve to a place or capital of {e.get('host')}",
                    )

        # ambiguous.yaml
        for i, a in enumerate(self.data.get("ambiguous.yaml", [])):
            if not isinstance(a, dict):
                continue
            where = f"ambiguous.yaml[{i}]"
            s = a.get("surface")
            if not self.check_string(where, "surface", s) or not isinstance(s, str):
                continue
            where = f"ambiguous.yaml:{s}"
            if norm(s) in owner:
                self.problem(
                    where, f"surface is a name/alias of {sorted(owner[norm(s)])}; drop it there or here"
                )
            if norm(s) in demonyms:
                self.problem(where, f"surface is a demonym of {demonyms[norm(s)]}")
            cands = self.check_str_list(where, "candidates", a.get("candidates"))
            if not cands:
                self.problem(where, "needs at least one candidate")
            types: set[str] = set()
            for c in cands:
                if c not in self.entries:
                    self.problem(where, f"candidate {c!r} is not a gazetteer id")
                    continue
                fname, e = self.entries[c]
                types.add("country" if fname == "states.yaml" else str(e.get("type")))
            if "type" in a:
                if a["type"] not in ENTITY_TYPES:
                    self.problem(where, f"type {a['type']!r} is not a SCHEMA type")
                elif types and types != {a["type"]}:
                    self.problem(where, f"type {a['type']!r} but candidates are {sorted(types)}")

    # ---- report ----
    def report(self) -> int:
        print(f"gazetteer: {self.dir}")
        total = 0
        for fname, _ in FILES + OPTIONAL_FILES:
            entries = [e for e in self.data.get(fname, []) if isinstance(e, dict)]
            if fname not in self.data:
                continue
            n_alias = sum(len(e.get("aliases") or []) for e in entries)
            types = Counter(("country" if fname == "states.yaml" else e.get("type")) for e in entries)
            if fname == "ambiguous.yaml":
                print(f"  {fname:<22} {len(entries):>4} surfaces")
                continue
            total += len(entries)
            by_type = ", ".join(f"{t}={n}" for t, n in sorted(types.items()))
            print(f"  {fname:<22} {len(entries):>4} entries, {n_alias:>4} aliases  ({by_type})")
        print(f"  {'total':<22} {total:>4} entries")
        if self.case_sensitive:
            listed = ", ".join(sorted(self.case_sensitive))
            print(f"match case-sensitively ({len(self.case_sensitive)}): {listed}")
        if self.verbose and self.common_names:
            listed = ", ".join(sorted(self.common_names))
            print(f"names that are also common words ({len(self.common_names)}): {listed}")
        if self.problems:
            print(f"{len(self.problems)} problem(s):")
            for p in self.problems:
                print(f"  - {p}")
            return 1
        print("no problems")
        return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="gazetteer directory")
    ap.add_argument("--verbose", action="store_true", help="also list names that are common words")
    args = ap.parse_args(argv)
    c = Checker(args.dir, args.verbose)
    c.load()
    c.check_structure()
    c.check_values()
    c.check_surfaces()
    return c.report()


if __name__ == "__main__":
    sys.exit(main())
