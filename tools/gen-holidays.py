#!/usr/bin/env python3
"""Generate Sources/CDRModel/Data/holidays.csv with python-holidays (MIT): public holidays 2024-2028.

Development-time only (pip install holidays); the output is committed. Observed days are included as the
library emits them (for example US 2026-07-03 "Independence Day (observed)").
"""
import csv, os, holidays
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTRIES = ["AE", "AR", "AT", "AU", "BE", "BR", "CA", "CH", "CN", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "GR",
             "HK", "IE", "IL", "IN", "IT", "JP", "KR", "MX", "MY", "NL", "NO", "NZ", "PH", "PL", "PT", "SA", "SE",
             "SG", "TR", "US", "ZA"]
with open(os.path.join(ROOT, "Sources/CDRModel/Data/holidays.csv"), "w", newline="") as f:
    f.write(f"# Public holidays 2024-2028 from python-holidays {holidays.__version__} (MIT), by tools/gen-holidays.py.\n")
    f.write("# National holidays only; add regional days and company closures in the inventory's holidays list.\n")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["country", "date", "name"])
    for cc in COUNTRIES:
        h = holidays.country_holidays(cc, years=range(2024, 2029))
        for d, name in sorted(h.items()):
            w.writerow([cc, d.isoformat(), name])
