#!/usr/bin/env python3
"""Generate cdrscan's numbering-plan data files from libphonenumber metadata (Apache-2.0).

Development-time only (pip install phonenumbers regex pycountry); the outputs are committed:
  Sources/CDRModel/Data/countries.csv     region, name, calling code, IDD prefixes, national prefix, lengths
  Sources/CDRAnalysis/Data/numbering.csv  longest-prefix table: E.164 digit prefix -> region, number type

The prefix table walks digit prefixes below each calling code and asks, with partial regex matching, which
(region, type) patterns can still match. A prefix is written as soon as one answer remains, or at the
depth limit, where the region order of libphonenumber and a type priority decide.
"""
import csv, os, re as stdre, sys
import phonenumbers, regex, pycountry
from phonenumbers import PhoneMetadata, COUNTRY_CODE_TO_REGION_CODE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "Sources/CDRModel/Data")
os.makedirs(MODEL, exist_ok=True)
TYPES = [  # priority: earlier wins at the depth limit
    ("premium", "premium_rate"), ("shared_cost", "shared_cost"), ("toll_free", "toll_free"),
    ("personal", "personal_number"), ("uan", "uan"), ("voip", "voip"), ("pager", "pager"),
    ("mobile", "mobile"), ("fixed", "fixed_line"),
]
EXTRA_NAMES = {"XK": "Kosovo", "AC": "Ascension Island", "TA": "Tristan da Cunha", "001": "International network"}
NONGEO_NAMES = {800: "International Freephone", 808: "International Shared Cost", 870: "Inmarsat",
                878: "Universal Personal Telecommunications", 881: "Global Mobile Satellite System",
                882: "International Networks", 883: "International Networks", 888: "Disaster Relief (OCHA)",
                979: "International Premium Rate"}

def name(region):
    if region in EXTRA_NAMES: return EXTRA_NAMES[region]
    c = pycountry.countries.get(alpha_2=region)
    return getattr(c, "common_name", None) or c.name if c else region

def expand_idd(pattern, preferred):
    out = []
    for n in range(1, 6):
        for i in range(10 ** n):
            s = str(i).zfill(n)
            if stdre.fullmatch(pattern, s): out.append(s)
    if preferred and preferred not in out and stdre.fullmatch(r"\d+", preferred): out.append(preferred)
    out.sort(key=lambda s: (-len(s), s))
    return out[:40]

def metadata(cc, region):
    return PhoneMetadata.metadata_for_nongeo_region(cc) if region == "001" else PhoneMetadata.metadata_for_region(region)

rows, prefix_rows = [], []
for cc, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
    pats = []  # (region, type, compiled, lengths)
    for region in regions:
        md = metadata(cc, region)
        if md is None: continue
        lengths = sorted(set(md.general_desc.possible_length or ()))
        if region != "001":
            idd = expand_idd(md.international_prefix, md.preferred_international_prefix) if md.international_prefix else []
            rows.append([region, name(region), cc, "|".join(idd), md.national_prefix or "",
                         min(lengths) if lengths else "", max(lengths) if lengths else ""])
        for tname, attr in TYPES:
            desc = getattr(md, attr, None)
            if desc is None or not desc.national_number_pattern: continue
            pats.append((region, tname, regex.compile(desc.national_number_pattern), desc.possible_length or lengths))
        if region == "001":
            rows.append([f"+{cc}", NONGEO_NAMES.get(cc, "International network"), cc, "", "",
                         min(lengths) if lengths else "", max(lengths) if lengths else ""])
    region_order = {r: i for i, r in enumerate(regions)}
    type_order = {t: i for i, (t, _) in enumerate(TYPES)}
    # Walk prefixes of the national number.
    def cands_of(p):
        return frozenset((region, tname) for region, tname, rx, _ in pats if p == "" or rx.fullmatch(p, partial=True))
    def answer(c):
        types = {t for _, t in c}
        if types & {"fixed", "mobile"}:
            pick = [x for x in c if x[1] in ("fixed", "mobile")]
            if {"fixed", "mobile"} <= types:
                best = min(pick, key=lambda x: region_order.get(x[0], 99))
                return (best[0], "fixed_or_mobile")
            c = pick
        return min(c, key=lambda x: (region_order.get(x[0], 99), type_order[x[1]]))
    stack = [("", cands_of(""))]
    maxdepth = 7
    while stack:
        p, cands = stack.pop()
        if not cands: continue
        if len(cands) == 1 or len(p) >= maxdepth:
            best = answer(cands)
            prefix_rows.append([f"{cc}{p}", best[0] if best[0] != "001" else f"+{cc}", best[1]])
            continue
        kids = [(p + d, cands_of(p + d)) for d in "0123456789"]
        if all(k[1] == cands for k in kids) and len(p) >= 3:
            best = answer(cands)
            prefix_rows.append([f"{cc}{p}", best[0] if best[0] != "001" else f"+{cc}", best[1]])
            continue
        stack.extend(kids)

# Region fallbacks: a prefix under a shared calling code whose emitted descendants all belong to one region
# gets that region with type "unknown", so that numbers in ranges the metadata does not list (unassigned
# exchanges, fiction ranges) still get their country; each calling code falls back to its main region.
fallback = {}
by_cc = {}
for pfx, region, t in prefix_rows:
    for cc in COUNTRY_CODE_TO_REGION_CODE:
        if pfx.startswith(str(cc)) and (len(str(cc)) > len(by_cc.get(pfx, ""))):
            by_cc[pfx] = str(cc)
regions_under = {}
for pfx, region, t in prefix_rows:
    cc = by_cc[pfx]
    for k in range(len(cc), len(pfx)):
        regions_under.setdefault(pfx[:k], set()).add(region)
for anc, regs in regions_under.items():
    if len(regs) == 1 and anc not in {r[0] for r in prefix_rows}:
        fallback[anc] = (next(iter(regs)), "unknown")
for cc, regions in COUNTRY_CODE_TO_REGION_CODE.items():
    main = regions[0] if regions[0] != "001" else f"+{cc}"
    fallback.setdefault(str(cc), (main, "unknown"))
# Drop a fallback whose nearest kept ancestor fallback already names the same region.
kept = {}
for anc in sorted(fallback, key=len):
    parents = [k for k in kept if anc.startswith(k) and k != anc]
    nearest = max(parents, key=len) if parents else None
    if nearest is not None and kept[nearest][0] == fallback[anc][0]:
        continue
    kept[anc] = fallback[anc]
fallback = kept

# Collapse: drop children whose answer equals their parent's (none here, we stop at the first unique answer),
# and merge ten siblings with one answer into their parent.
table = {r[0]: (r[1], r[2]) for r in prefix_rows}
for k, v in fallback.items():
    table.setdefault(k, v)
changed = True
while changed:
    changed = False
    parents = {}
    for k in table: parents.setdefault(k[:-1], []).append(k)
    for parent, kids in parents.items():
        if len(kids) == 10 and parent not in table and len(parent) >= 1:
            vals = {table[k] for k in kids}
            if len(vals) == 1:
                for k in kids: del table[k]
                table[parent] = vals.pop(); changed = True

with open(os.path.join(MODEL, "countries.csv"), "w", newline="") as f:
    f.write("# Derived from libphonenumber metadata (Apache-2.0, https://github.com/google/libphonenumber),\n")
    f.write(f"# phonenumbers {phonenumbers.__version__}, by tools/gen-numbering-data.py. Country names: ISO 3166 via pycountry.\n")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["region", "name", "calling_code", "idd_prefixes", "national_prefix", "min_length", "max_length"])
    w.writerows(sorted(rows, key=lambda r: (int(r[2]), r[0])))
with open(os.path.join(os.path.join(ROOT, "Sources/CDRAnalysis/Data"), "numbering.csv"), "w", newline="") as f:
    f.write("# Derived from libphonenumber metadata (Apache-2.0, https://github.com/google/libphonenumber),\n")
    f.write(f"# phonenumbers {phonenumbers.__version__}, by tools/gen-numbering-data.py: E.164 digit prefix -> region, type.\n")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["prefix", "region", "type"])
    for k in sorted(table): w.writerow([k, table[k][0], table[k][1]])
print(len(rows), "regions;", len(table), "prefixes", file=sys.stderr)
