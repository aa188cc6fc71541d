"""Throughput, CPU, size and memory of `handouts batch` on a generated roster.

    python benchmarks/batch_throughput.py                 # 1,000 patients, --jobs 2, 3 runs
    python benchmarks/batch_throughput.py --rows 200 --jobs 1 --runs 1 --print-file

Runs the real command (this checkout's code, in a subprocess) on a Dutch-Excel-style roster of
varied patients (left/right/both feet, nl/nl-BE/en, own dosages and notes for some) and prints,
per run and as the median of the runs: wall time, packs per second (a pack = handout + 12
weekly checklists), CPU time per pack (user + system of the whole process tree, from
getrusage after the run: it costs nothing while measuring), mean pack size, and memory.

Memory is sampled from /proc every 250 ms (the command's process and its children, found
through /proc/<pid>/task/*/children): the sum of RSS (counts shared pages once per process,
so it overstates) and the sum of PSS (shared pages split between the processes that share
them: the real RAM used). Reading a few /proc files four times a second costs well under
1 % of a core; the earlier sampler walked all of /proc every 50 ms and ate ~11 %.
Targets: >= 40 packs/s on 2 cores, peak RSS < 150 MB, a pack < 100 KB.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
FIRST = ["Jan", "Anne", "Zoë", "Piet", "Sanne", "Lars", "Fatma", "Léa", "Bram", "Noor", "İlker"]
LAST = ["Peeters", "de Vries", "Janssens", "Maes", "van den Berg", "Dubois", "Öztürk", "Smit"]
PAGE = os.sysconf("SC_PAGE_SIZE") // 1024  # kB


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
    """Peak of the summed RSS and PSS of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = self.peak_processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            pids = self._tree(self.pid)
            rss = sum(self._rss(p) for p in pids)
            pss = sum(self._pss(p) for p in pids)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))

    def _tree(self, pid: int) -> list[int]:
        tree = [pid]
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return []
        for task in tasks:
            try:
                children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in children:
                tree += self._tree(int(child))
        return tree

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            return 0

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])  # kB
        except OSError:
            pass
        return 0


class Run(msgspec.Struct, frozen=True):
    wall: float
    cpu: float  # user + system seconds of the process tree
    packs: float
    pack_kb: float
    peak_rss_mb: float
    peak_pss_mb: float
    largest_mb: float
    processes: int
    summary: str


def run_once(roster: Path, out: Path, jobs: int, print_file: Path | None) -> Run:
    command = [sys.executable, "-c", "from handouts.cli import main; main()", "batch"]
    command += [str(roster), "-o", str(out), "--jobs", str(jobs), "--today", "2026-11-21"]
    command += ["--force"]
    if print_file is not None:
        command += ["--print-file", str(print_file)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # measure this checkout, not an installed copy
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid)
    memory.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    memory.stop.set()
    memory.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"batch failed ({process.returncode}):\n{stderr.decode()}")
    sizes = [p.stat().st_size for p in out.glob("*.pdf")]
    packs = len(sizes) / 2
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(
        wall=wall,
        cpu=cpu,
        packs=packs,
        pack_kb=sum(sizes) / packs / 1024,
        peak_rss_mb=memory.peak_rss / 1024,
        peak_pss_mb=memory.peak_pss / 1024,
        largest_mb=after.ru_maxrss / 1024,  # the largest child so far (kB on Linux)
        processes=memory.peak_processes,
        summary=stdout.decode().strip(),
    )


def report(runs: list[Run], rows: int, jobs: int) -> None:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    rates = [r.packs / r.wall for r in runs]
    print(runs[-1].summary)
    print(f"rows                {rows}  (jobs {jobs}, {os.cpu_count()} CPUs, {len(runs)} runs)")
    print(
        f"wall time           {median([r.wall for r in runs]):.1f} s  (runs: "
        + ", ".join(f"{r.wall:.1f}" for r in runs)
        + ")"
    )
    print(
        f"packs per second    {median(rates):.1f}  (runs: "
        + ", ".join(f"{rate:.1f}" for rate in rates)
        + ")"
    )
    cpu = [r.cpu / r.packs * 1000 for r in runs]
    print(f"CPU per pack        {median(cpu):.1f} ms  (user + system, whole tree)")
    print(f"mean pack size      {median([r.pack_kb for r in runs]):.0f} KB")
    peak_rss = max(r.peak_rss_mb for r in runs)
    print(f"peak RSS, all       {peak_rss:.0f} MB  ({max(r.processes for r in runs)} processes)")
    print(f"peak PSS, all       {max(r.peak_pss_mb for r in runs):.0f} MB")
    print(f"largest process     {max(r.largest_mb for r in runs):.0f} MB RSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3, help="the median is reported")
    parser.add_argument("--print-file", action="store_true", help="also make the print file")
    parser.add_argument("--keep", action="store_true", help="keep the output folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    roster, out = work / "roster.csv", work / "out"
    write_roster(roster, args.rows)
    print_file = work / "all.pdf" if args.print_file else None
    runs = [run_once(roster, out, args.jobs, print_file) for _ in range(args.runs)]
    report(runs, args.rows, args.jobs)
    if args.keep:
        print(f"output in           {work}")
    else:
        subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
