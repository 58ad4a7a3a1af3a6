#!/usr/bin/python3
"""Side-by-side equal-shares timing: pabutools (exact fractions) against Allocation.Bench.

usage: /usr/bin/python3 bench/compare_pabutools.py PABUTOOLS_CHECKOUT FILE.pb...

Run from the repository root after `dotnet build -c Release bench/Allocation.Bench`. Needs Debian's
python3-pulp, python3-gmpy2, python3-numpy, python3-natsort and python3-networkx. pabutools is used
unmodified from the given checkout; two things are patched at runtime, in this process only:
  * pulp gets a placeholder `HiGHS` (Debian's pulp has none; only pabutools' ILP rules use it);
  * pabutools' `frac`/`str_as_frac` become fractions.Fraction, because with Debian's gmpy2 2.1.2
    its MES returns wrong (empty) outcomes.
Times are compute only (parse excluded) on both sides. .NET: the first (cold, JIT-compiling) run,
and the median of 5 once warm; pabutools: one run. The speed-up compares the warm median. Prints a
Markdown table.
"""
import json
import subprocess
import sys
import time

from patched_pabutools import load

checkout, files = sys.argv[1], sys.argv[2:]
parse_pabulib, method_of_equal_shares, sat_class_for = load(checkout)

dotnet = subprocess.run(
    ["dotnet", "bench/Allocation.Bench/bin/Release/net10.0/Allocation.Bench.dll", "pabulib", *files],
    check=True, capture_output=True, text=True)
ours = {r["file"]: r for r in map(json.loads, dotnet.stdout.splitlines())}

print("| file | voters | projects | rule | pabutools (s) | .NET warm (ms) | .NET first run (ms) | speed-up | same winners |")
print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |")
for path in files:
    name = path.split("/")[-1]
    instance, profile = parse_pabulib(path)
    sat = sat_class_for(profile)
    for rule, increment in (("mes", None), ("mes-add1", 1)):
        start = time.perf_counter()
        outcome = method_of_equal_shares(instance, profile, sat_class=sat, voter_budget_increment=increment)
        seconds = time.perf_counter() - start
        theirs = [p.name for p in outcome]
        mine = ours[name][rule]
        ms = ours[name][rule + "_seconds"] * 1000
        first = ours[name][rule + "_first_seconds"] * 1000
        print(f"| {name} | {ours[name]['voters']} | {ours[name]['projects']} | {rule} | {seconds:.3f} | "
              f"{ms:.2f} | {first:.1f} | {seconds * 1000 / ms:.0f}× | {'yes' if theirs == mine else 'NO'} |", flush=True)
