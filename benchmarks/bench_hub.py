"""A class on one server: memory per learner, hub spawn time, notebook 04 with ten learners at once.

Run alone (heavy: a dozen kernels and ten single-user servers on the machine):

    .venv/bin/python benchmarks/bench_hub.py            # the full measurement, about 5 minutes on 2 cores
    .venv/bin/python benchmarks/bench_hub.py --learners 2 --notebooks 00   # a quick try

Needs the `hub` extra and configurable-http-proxy (`make hub-proxy`). Prints tables; the numbers feed
the memory and CPU limits in deploy/jupyterhub/jupyterhub_config.py and deploy/kubernetes/values.yaml.
"""

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Kernels run here execute the notebooks' self-checks: keep them out of this user's own progress file.
# (Learners' servers on the demonstration hub do not inherit this; they record into their own homes.)
os.environ["LIFECYCLE_KIT_PROGRESS"] = "off"

from benchmarks.common import print_table  # noqa: E402
from tests.hub.hub_client import DemoHub, Learner  # noqa: E402
from tests.notebook_runner import SOCKET_GUARD, notebook_paths  # noqa: E402

MIB = 1024 * 1024
SERVER_GB = 24
# Kept free for the operating system, page cache and the hub's own processes beyond those measured.
OS_RESERVE_MIB = 2048
# Headroom over the measured peak: a second notebook left open, and peaks this machine did not see.
SAFETY_FACTOR = 1.5
RUN_ALL = "04_data_acquisition.ipynb"
# How much slower than alone a Run All may get while the whole class runs it, before a session drags.
ACCEPTABLE_SLOWDOWN = 3.0
PEAK_CELL = ("print('VmHWM', [int(line.split()[1]) for line in open('/proc/self/status') "
             "if line.startswith('VmHWM')][0])")


def _status_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(f"{field} not in /proc/{pid}/status")


def kernel_peak_mib(path):
    """Run a notebook in a fresh kernel (network blocked, as in the tests); the kernel's peak RSS in MiB."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SOCKET_GUARD))
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    with tempfile.TemporaryDirectory() as cwd:
        started = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": cwd}}).execute()
        seconds = time.perf_counter() - started
    text = "".join(output.get("text", "") for output in nb.cells[-1].outputs)
    return int(text.split()[1]) / 1024, seconds


def singleuser_pid(name):
    """The pid of a learner's jupyterhub-singleuser process (found by its environment and command line)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"JUPYTERHUB_USER={name}".encode() in environ and b"jupyterhub.singleuser" in cmdline:
            return int(entry.name)
    raise LookupError(f"no single-user server process for {name}")


def memory_table(notebooks):
    rows, peaks = [], {}
    for path in notebooks:
        peak, seconds = kernel_peak_mib(path)
        peaks[path.name] = peak
        rows.append([path.name, f"{peak:.0f}", f"{seconds:.1f}"])
    print_table("Kernel peak RSS per notebook (fresh kernel, Run All; VmHWM)", ["notebook", "MiB", "run s"], rows)
    return peaks


def class_tables(learner_count, run_all):
    state = tempfile.TemporaryDirectory(prefix="lk-hub-bench-")
    hub = DemoHub(state_dir=state.name)
    try:
        hub.start()
        people = [Learner(hub, f"learner{i:02d}") for i in range(learner_count)]

        # Everyone logs in and asks for a server at the same moment.
        started = time.perf_counter()

        def arrive(learner):
            learner.log_in()
            return learner.start_server()

        with ThreadPoolExecutor(learner_count) as pool:
            spawn_seconds = list(pool.map(arrive, people))
        all_ready = time.perf_counter() - started

        servers_idle = [_status_kib(singleuser_pid(p.name), "VmRSS") / 1024 for p in people]
        # Everything the hub started, and the hub itself, except the learners' servers.
        servers = {singleuser_pid(p.name) for p in people}
        hub_side = [_status_kib(pid, "VmRSS") / 1024 for pid in hub.leftover_processes() if pid not in servers]

        alone = people[0]
        alone.start_kernel()
        t = time.perf_counter()
        alone.run_notebook(run_all)
        alone_seconds = time.perf_counter() - t

        def run_again(learner):
            learner.start_kernel()
            t0 = time.perf_counter()
            learner.run_notebook(run_all)
            return time.perf_counter() - t0

        # The same notebook, everyone at the same moment (learner 0 in a new kernel).
        started = time.perf_counter()
        with ThreadPoolExecutor(learner_count) as pool:
            together = list(pool.map(run_again, people))
        together_wall = time.perf_counter() - started
        servers_peak = [_status_kib(singleuser_pid(p.name), "VmHWM") / 1024 for p in people]
    finally:
        leftovers = hub.stop()
        state.cleanup()
    if leftovers:
        print(f"warning: killed {len(leftovers)} processes the hub left running")

    print_table(f"{learner_count} learners log in and start their servers at the same moment (seconds)",
                ["measure", "value"],
                [["all servers ready (wall)", f"{all_ready:.1f}"],
                 ["per learner, median", f"{statistics.median(spawn_seconds):.1f}"],
                 ["per learner, slowest", f"{max(spawn_seconds):.1f}"]])
    print_table(f"{run_all} Run All through the hub (seconds)",
                ["learners at once", "median", "slowest", "wall", "x alone"],
                [["1", f"{alone_seconds:.1f}", f"{alone_seconds:.1f}", f"{alone_seconds:.1f}", "1.0"],
                 [str(learner_count), f"{statistics.median(together):.1f}", f"{max(together):.1f}",
                  f"{together_wall:.1f}", f"{statistics.median(together) / alone_seconds:.1f}"]])
    return {"server_idle_mib": max(servers_idle), "server_peak_mib": max(servers_peak),
            "hub_side_mib": sum(hub_side), "learners_at_once": learner_count, "run_all": run_all,
            "slowdown": statistics.median(together) / alone_seconds}


def capacity_table(kernel_peaks, servers):
    kernel = max(kernel_peaks.values())
    per_learner = kernel + servers["server_peak_mib"]
    budget = SERVER_GB * 1024 - OS_RESERVE_MIB - servers["hub_side_mib"]
    learners = math.floor(budget / (per_learner * SAFETY_FACTOR))
    limit_mib = math.ceil(per_learner * SAFETY_FACTOR / 256) * 256
    print_table(f"Memory per learner and learners per {SERVER_GB} GB server", ["measure", "MiB"], [
        ["largest notebook kernel peak", f"{kernel:.0f} ({max(kernel_peaks, key=kernel_peaks.get)})"],
        ["single-user server, idle after start (largest)", f"{servers['server_idle_mib']:.0f}"],
        ["single-user server, peak after Run All (largest)", f"{servers['server_peak_mib']:.0f}"],
        ["per learner (kernel peak + server peak)", f"{per_learner:.0f}"],
        ["hub, proxy, services", f"{servers['hub_side_mib']:.0f}"],
        [f"learners per {SERVER_GB} GB (reserve {OS_RESERVE_MIB} MiB, x{SAFETY_FACTOR} margin)", str(learners)],
        [f"suggested mem_limit (per learner x{SAFETY_FACTOR}, to 256 MiB)", str(limit_mib)],
    ])
    # CPU, not memory, decides how many can run cells at the same moment on 2 cores. Assuming the slowdown
    # grows in proportion to the learners running at once (as it does once the cores are saturated):
    at_once = servers["learners_at_once"] * ACCEPTABLE_SLOWDOWN / servers["slowdown"]
    title = f"CPU: learners running {servers['run_all']} at the same moment ({os.cpu_count()} cores)"
    print_table(title, ["measure", "value"], [
        [f"slowdown with {servers['learners_at_once']} at once (median / alone)", f"{servers['slowdown']:.1f}x"],
        [f"at once within {ACCEPTABLE_SLOWDOWN:.0f}x the time alone (proportional estimate)", f"{at_once:.0f}"],
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--notebooks", nargs="*", help="notebook numbers for the kernel peaks (default: all)")
    parser.add_argument("--run-all", default=RUN_ALL, help=f"the notebook everyone runs (default {RUN_ALL})")
    args = parser.parse_args(argv)
    paths = [p for p in notebook_paths() if not args.notebooks or p.name[:2] in args.notebooks]
    kernel_peaks = memory_table(paths)
    servers = class_tables(args.learners, args.run_all)
    capacity_table(kernel_peaks, servers)
    return 0


def run():
    main([])


if __name__ == "__main__":
    sys.exit(main())
