"""Throughput, size and memory of `handouts batch` on a generated roster.

    python benchmarks/batch_throughput.py                 # 1,000 patients, --jobs 2
    python benchmarks/batch_throughput.py --rows 200 --jobs 1 --print-file

Runs the real command (this checkout's code, in a subprocess) on a Dutch-Excel-style roster of
varied patients (left/right/both feet, nl/nl-BE/en, own dosages and notes for some) and prints:
wall time, packs per second (a pack = handout + 12 weekly checklists), mean pack size, and the
peak memory of the whole process tree (parent and workers), sampled every 50 ms from /proc:
the sum of RSS (counts shared library pages once per process, so it overstates) and the sum
of PSS (shared pages split between the processes that share them: the real RAM used).
Targets: >= 40 packs/s on 2 cores, peak RSS < 150 MB, a pack < 100 KB.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ["Jan", "Anne", "Zoë", "Piet", "Sanne", "Lars", "Fatma", "Léa", "Bram", "Noor", "İlker"]
LAST = ["Peeters", "de Vries", "Janssens", "Maes", "van den Berg", "Dubois", "Öztürk", "Smit"]


def write_roster(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    buffer = io.StringIO()
    rows_out = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    header = ["naam", "voet", "start", "taal", "herhalingen", "sets", "sessies_per_dag"]
    rows_out.writerow([*header, "notities", "nummer"])
    for n in range(1, rows + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        foot = rng.choice(["links", "rechts", "beide"])
        start = f"{7 + 7 * rng.randrange(4):02d}-12-2026"
        language = rng.choice(["nl", "nl", "nl-BE", "en"])
        dosage = ["8", "2", "2"] if rng.random() < 0.2 else ["", "", ""]
        notes = "Rustig opbouwen; neem je lijst mee." if rng.random() < 0.3 else ""
        rows_out.writerow([name, foot, start, language, *dosage, notes, f"{n:05d}"])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


class TreeMemory(threading.Thread):
    """Peak of the summed RSS and PSS of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.peak_pss, self.peak_processes = pid, 0, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            pids = self._tree()
            rss = sum(self._field(p, "status", "VmRSS:") for p in pids)
            pss = sum(self._field(p, "smaps_rollup", "Pss:") for p in pids)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        tree, frontier = [self.pid], [self.pid]
        while frontier:
            frontier = [p for p, parent in parents.items() if parent in frontier]
            tree += frontier
        return tree

    @staticmethod
    def _field(pid: int, name: str, key: str) -> int:
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])  # kB
        except OSError:
            pass
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--print-file", action="store_true", help="also make the print file")
    parser.add_argument("--keep", action="store_true", help="keep the output folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    roster, out = work / "roster.csv", work / "out"
    write_roster(roster, args.rows)
    command = [sys.executable, "-c", "from handouts.cli import main; main()", "batch"]
    command += [str(roster), "-o", str(out), "--jobs", str(args.jobs), "--today", "2026-11-21"]
    if args.print_file:
        command += ["--print-file", str(work / "all.pdf")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # measure this checkout, not an installed copy

    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid)
    memory.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    memory.stop.set()
    memory.join()
    if process.returncode != 0:
        sys.exit(f"batch failed ({process.returncode}):\n{stderr.decode()}")

    sizes = [p.stat().st_size for p in out.glob("*.pdf")]
    packs = len(sizes) / 2
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(stdout.decode().strip())
    print(f"rows                {args.rows}  (jobs {args.jobs}, {os.cpu_count()} CPUs)")
    print(f"wall time           {wall:.1f} s")
    print(f"packs per second    {packs / wall:.1f}")
    print(f"mean pack size      {sum(sizes) / packs / 1024:.0f} KB")
    print(
        f"peak RSS, all       {memory.peak_rss / 1024:.0f} MB  ({memory.peak_processes} processes)"
    )
    print(f"peak PSS, all       {memory.peak_pss / 1024:.0f} MB")
    print(f"largest process     {largest:.0f} MB RSS")
    if args.keep:
        print(f"output in           {work}")
    else:
        subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
