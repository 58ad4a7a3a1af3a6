#!/usr/bin/python3
"""Cold pbtool, as an auditor runs it once, against pabutools' compute time on the same file.

usage: /usr/bin/python3 bench/compare_pbtool_cold.py PABUTOOLS_CHECKOUT FILE.pb...

Run from the repository root after `dotnet publish src/PbTool -c Release -r linux-x64 -o dist` (the
Native AOT binary) and `dotnet build -c Release src/PbTool` (the JIT build, for comparison). pabutools
is patched at runtime exactly as in compare_pabutools.py. pbtool: the whole process (start, parse,
equal shares, the JSON with every project's explanation), fresh each time, median of five; pabutools:
`method_of_equal_shares` alone (parse excluded), one run. Prints a Markdown table.
"""
import json
import statistics
import subprocess
import sys
import time

from patched_pabutools import load

checkout, files = sys.argv[1], sys.argv[2:]
parse_pabulib, method_of_equal_shares, sat_class_for = load(checkout)

NATIVE = ["dist/pbtool"]
JIT = ["dotnet", "src/PbTool/bin/Release/net10.0/pbtool.dll"]


def cold(command, path):
    """Median wall time of five fresh processes, and the winners in selection order."""
    times, selected = [], None
    for _ in range(5):
        start = time.perf_counter()
        out = subprocess.run([*command, "allocate", path, "--rule", "mes", "--json"], check=True, capture_output=True, text=True).stdout
        times.append(time.perf_counter() - start)
        selected = json.loads(out)["selected"]
    return statistics.median(times), selected


print("| file | voters | projects | pabutools compute (s) | pbtool native, cold (ms) | ratio | pbtool JIT, cold (ms) | ratio | same winners |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for path in files:
    instance, profile = parse_pabulib(path)
    sat = sat_class_for(profile)
    start = time.perf_counter()
    outcome = method_of_equal_shares(instance, profile, sat_class=sat)
    theirs_seconds = time.perf_counter() - start
    theirs = [p.name for p in outcome]
    native, native_selected = cold(NATIVE, path)
    jit, jit_selected = cold(JIT, path)
    same = theirs == native_selected == jit_selected
    print(f"| {path.split('/')[-1]} | {profile.num_ballots()} | {len(instance)} | {theirs_seconds:.3f} | {native * 1000:.0f} | "
          f"1/{theirs_seconds / native:.0f} | {jit * 1000:.0f} | 1/{theirs_seconds / jit:.0f} | {'yes' if same else 'NO'} |", flush=True)
