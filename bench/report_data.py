"""Reads one run of bench/reproduce.sh (a results folder) into plain Python
values for bench/report.py: the Google Benchmark JSON by backend, op and
batch, the `mnistbench compare` runs and the peers' runs."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

PEERS = ("numpy-float64", "numpy-float32", "torch")
SWEEP = (1, 2)
TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class Measurement:
    """One benchmark: backend/op/batch, the op as the profiler names it (op/L<l> for a layer's op)."""
    seconds: float            # wall time per call
    samples_per_second: float
    flops: float              # FLOP/s, 0 where not counted
    bytes_per_second: float
    threads: int              # the backend's own, as it reported them
    error: str = ""           # the mismatch that replaced the time, if any


def read_json(path):
    with open(path) as f:
        return json.load(f)


def measurements(benchmark_json):
    """{(backend, op, batch): Measurement}, in the suite's order."""
    found = {}
    for b in benchmark_json["benchmarks"]:
        # backend/op/batch/real_time, where an op of one layer is itself op/L<l> ("matmul_forward/L1")
        parts = b["name"].removesuffix("/real_time").split("/")
        key = (parts[0], "/".join(parts[1:-1]), int(parts[-1]))
        if b.get("error_occurred"):
            found[key] = Measurement(0, 0, 0, 0, 0, b.get("error_message", "error"))
            continue
        found[key] = Measurement(b["real_time"] * TIME_UNITS[b["time_unit"]], b["items_per_second"],
                                 b.get("FLOPS", 0.0), b.get("bytes_per_second", 0.0),
                                 int(b.get("backend_threads", 1)))
    return found


@dataclass
class Results:
    folder: Path              # where the run's files are, and the report goes
    context: dict             # Google Benchmark's context, with ours (commit, CPU, backends)
    benchmarks: dict          # {(backend, op, batch): Measurement} at the default threads
    sweep: dict               # {threads: {(backend, "train_step", batch): Measurement}}
    compare: dict             # `mnistbench compare --json`, full batch
    compare64: dict           # the same at batch 64
    peers: dict               # {name: peer JSON}, full batch
    peers64: dict             # {name: peer JSON}, batch 64
    peer_sweep: dict          # {(name, threads): (full-batch JSON, batch-64 JSON)}
    machine: dict             # `mnistbench machine --json`: peak FLOP/s, bandwidth, step limits
    profiles: dict            # {backend: `mnistbench profile --json`}, full batch, 1 thread
    rss: dict                 # {"simd_threads1": {"backend", "threads", "max_rss_kib", ...}}: full-batch training runs
    race: dict                # `mnistbench race --json`, the default recipe; None in a folder from before race
    torch_race: dict          # {threads: bench/peers/torch_race.py's run of the same recipe}; empty likewise
    # {threads: {(backend, op, batch): Measurement}}: the blas backend's train_step rows again with
    # OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (OpenBLAS's own kernel); empty in older folders
    blas_own_kernel: dict
    blas_own_kernel_context: dict  # that run's Google Benchmark context (which core OpenBLAS chose)

    @property
    def backends(self):
        return list(dict.fromkeys(backend for backend, _, _ in self.benchmarks))

    def ops(self):
        return list(dict.fromkeys(op for _, op, _ in self.benchmarks if op != "train_step"))

    def full_batch(self):
        return max(batch for _, _, batch in self.benchmarks)

    def backend_context(self, backend, what):
        return self.context.get(f"backend.{backend}.{what}", "")

    def openblas_core(self, context=None):
        """The core whose kernels the blas backend ran, from a benchmark context (the suite's by default)."""
        library = (context or self.context).get("backend.blas.library", "")
        match = re.search(r"core: (\w+)", library)
        return match.group(1) if match else "n/a"


def blas_own_kernel_files(folder):
    """{threads: path} of the blas rows run with OpenBLAS choosing its own kernel."""
    return {n: folder / "threads" / f"benchmark_blas_own_kernel_threads{n}.json" for n in SWEEP
            if (folder / "threads" / f"benchmark_blas_own_kernel_threads{n}.json").exists()}


def load(folder):
    folder = Path(folder)
    benchmark = read_json(folder / "benchmark.json")
    own_kernel = {n: read_json(path) for n, path in blas_own_kernel_files(folder).items()}
    return Results(
        folder=folder,
        context=benchmark["context"],
        benchmarks=measurements(benchmark),
        sweep={n: measurements(read_json(folder / "threads" / f"benchmark_threads{n}.json")) for n in SWEEP},
        compare=read_json(folder / "compare.json"),
        compare64=read_json(folder / "compare_batch64.json"),
        peers={name: read_json(folder / "peers" / f"{name}.json") for name in PEERS},
        peers64={name: read_json(folder / "peers" / f"{name}_batch64.json") for name in PEERS},
        peer_sweep={(name, n): (read_json(folder / "threads" / f"{name}_threads{n}.json"),
                                read_json(folder / "threads" / f"{name}_batch64_threads{n}.json"))
                    for name in PEERS for n in SWEEP},
        machine=read_json(folder / "machine.json"),
        profiles={p.stem: read_json(p) for p in sorted((folder / "profile").glob("*.json"))},
        rss={p.stem.removeprefix("rss_"): read_json(p) for p in sorted(folder.glob("rss_*.json"))},
        race=read_json(folder / "race.json") if (folder / "race.json").exists() else None,
        torch_race={n: read_json(folder / "peers" / f"torch_race_threads{n}.json") for n in SWEEP
                    if (folder / "peers" / f"torch_race_threads{n}.json").exists()},
        blas_own_kernel={n: measurements(run) for n, run in own_kernel.items()},
        blas_own_kernel_context=next(iter(own_kernel.values()))["context"] if own_kernel else {},
    )


def machine_folder_name(machine):
    """The results folder of a `mnistbench machine --json` record's machine: its CPU model and
    microarchitecture, "amd-epyc-zen5", so that each machine's reference run has its own folder."""
    model = re.sub(r"\((r|tm)\)|\bcpu\b|@.*$|\b\d+-core processor\b", " ", machine["cpu_model"].lower())
    uarch = re.sub(r"(\D) (\d)", r"\1\2", machine.get("microarchitecture", "unknown").lower())  # "Zen 5" -> "zen5"
    return re.sub(r"[^a-z0-9]+", "-", f"{model} {uarch}").strip("-")


def relative_loss_differences(reference, run):
    """|loss - reference loss| / reference loss at each iteration both logged."""
    losses = {h["iteration"]: h["loss"] for h in reference["history"]}
    return [(h["iteration"], abs(h["loss"] - losses[h["iteration"]]) / losses[h["iteration"]])
            for h in run["history"] if h["iteration"] in losses]
