#!/usr/bin/python3
"""Writes README.md and plots/*.png into a results folder made by
bench/reproduce.sh: the machine, how far the training curves of every
backend and peer agree with naive, throughput, time per op and the thread
sweep. Usage: bench/report.py RESULTS_FOLDER"""

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import report_plots
from report_data import PEERS, SWEEP, load, relative_loss_differences


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def percent(fraction):
    return "n/a" if fraction is None else f"{100 * fraction:.2f}%"


def loads(result):
    """"2.87 → 3.13": the 1-minute load before and after a race or a peer's run of it."""
    load = result.get("conditions", {}).get("load", {})
    return " → ".join(f"{load[end]['load_average'][0]:.2f}" for end in ("before", "after") if load.get(end)) or "not recorded"


def race_section(r):
    """The race table: every backend, and the PyTorch peer at each thread count, on the default recipe."""
    race, recipe = r.race, r.race["recipe"]
    peers = [peer["runs"][0] for _, peer in sorted(r.torch_race.items())]
    torch = min((run["median_seconds"] for run in peers), default=None)  # PyTorch at its best thread count
    rows = []
    for run in race["runs"] + peers:
        result = "INVALID" if not run["valid"] else "met" if run["met"] else "MISSED"
        rows.append((f"`{run['backend']}`" if run["backend"] != "torch" else "torch (peer)", run["threads"],
                     f"{run['median_seconds'] * 1e3:.1f}", f"{run['q1_seconds'] * 1e3:.1f}-{run['q3_seconds'] * 1e3:.1f}",
                     percent(run["mean_test_accuracy"]), percent(run["min_test_accuracy"]),
                     f"{run['seeds_below']}/{len(run['seeds'])}", result,
                     f"{torch / run['median_seconds']:.1f}×" if torch else "n/a"))
    fastest = min(race["runs"], key=lambda run: run["median_seconds"])
    cores = {peer["peer"]["blas"]["core"] for peer in r.torch_race.values()}
    summary = (f"**`{fastest['backend']}` reaches a mean {percent(fastest['mean_test_accuracy'])} in "
               f"{fastest['median_seconds'] * 1e3:.1f} ms** (median of {len(fastest['seeds'])} seeds)")
    if torch:
        summary += (f", {torch / fastest['median_seconds']:.1f}× faster than PyTorch with the same recipe at its best "
                    f"thread count ({torch * 1e3:.0f} ms)")
    return "\n\n".join([
        "## Race: time to the target accuracy",
        f"`mnistbench race` (`race.json`) and `bench/peers/torch_race.py` (`peers/torch_race_threads*.json`): the "
        f"recipe layers {','.join(map(str, recipe['layers']))}, {recipe['init']} init, batch {recipe['batch_size']}, "
        f"{recipe['epochs']} epoch(s), alpha {recipe['alpha']:g} ({recipe['schedule']}), momentum {recipe['momentum']:g}, "
        f"dev split {recipe['dev_size']}, seeds {recipe['seeds'][0]}-{recipe['seeds'][-1]}; target: mean test accuracy "
        f"{percent(race['target'])}, and at most {race['seeds_allowed_below']} seed below "
        f"{percent(race['target'] - race['seed_margin'])}. Time: wall time from the first step to the last, "
        "shuffling and gathering batches included. " + summary + ".",
        table(["run", "threads", "median ms", "IQR ms", "mean test", "min test", "below", "result", "vs torch"], rows),
        f"Load average (1 min) before and after the race: {loads(race)}"
        + "".join(f"; PyTorch on {n} thread(s): {loads(peer)}" for n, peer in sorted(r.torch_race.items()))
        + (f"; PyTorch ran OpenBLAS core {', '.join(sorted(cores))}." if cores else "."),
    ])


def machine_section(r):
    c = r.context
    caches = ", ".join(f"L{x['level']} {x['type'].lower()} {x['size'] // 1024} KiB" + (f" ×{c['num_cpus'] // x['num_sharing']}" if x["num_sharing"] else "")
                       for x in c.get("caches", []))
    numpy_blas = r.peers["numpy-float64"]["peer"]["blas"]
    lines = [
        f"- **CPU**: {c['cpu_model']}, {c['num_cpus']} logical cores at {c['mhz_per_cpu']} MHz; caches: {caches}",
        f"- **Instruction sets**: {c['instruction_sets']}",
        f"- **OpenBLAS**: the blas backend ran core {r.openblas_core()} "
        + (f"(forced by the environment's `OPENBLAS_CORETYPE={c['openblas_coretype']}`; the blas section below has "
           "OpenBLAS's own choice too); " if c.get("openblas_coretype", "(unset)") != "(unset)"
           else "(chosen by OpenBLAS from the CPU; `OPENBLAS_CORETYPE` unset); ") +
        f"NumPy and PyTorch (peers) run {numpy_blas['name']}, core {numpy_blas['core']}, loaded as "
        f"{', '.join(numpy_blas['libraries'])}",
        f"- **Compiler**: {c['compiler']}, Release; Google Benchmark reports its own (Debian) library as a "
        f"{c.get('library_build_type', 'n/a')} build (built without NDEBUG); the timed loop itself is inlined into "
        "this Release build",
        f"- **Threads**: {c['mnistbench_threads']} for every backend that uses threads and for the peers "
        f"(the thread sweep below also runs 1 and 2)",
        f"- **Commit**: `{c['git_commit']}`; benchmarks run {c['date']}",
        f"- **Load average** when the benchmarks started: {', '.join(f'{x:.2f}' for x in c.get('load_avg', []))} "
        "(this machine is shared; figures from a busy machine are slower and noisier)",
    ]
    return "## Machine\n\n" + "\n".join(lines)


def runs_with_peers(compare, peers):
    """[(label, run JSON, is_peer)], the backends in compare's order, then the peers."""
    return [(run["backend"], run, False) for run in compare["runs"]] + [(name, peers[name], True) for name in PEERS]


def agreement_section(r):
    reference = r.compare["runs"][0]
    runs = runs_with_peers(r.compare, r.peers)[1:]
    worst = {label: max(d for _, d in relative_loss_differences(reference, run)) for label, run, _ in runs}
    backends = max(worst[label] for label, _, is_peer in runs if not is_peer)
    peers = max(worst[label] for label, _, is_peer in runs if is_peer)
    test_points = max(abs(run["test_accuracy"] - reference["test_accuracy"]) * 100 for _, run, _ in runs)
    iterations = len(reference["history"])
    rows = [(label, "peer" if is_peer else "backend", f"{worst[label]:.1e}", f"{run['final_loss']:.6f}",
             percent(run["test_accuracy"])) for label, run, is_peer in runs]
    return "\n\n".join([
        "## Agreement of the training curves",
        f"**All curves agree with naive's to {max(backends, peers):.1e}** (the largest relative difference in "
        f"training loss over the {iterations} logged iterations of the {reference['iterations']}-step full-batch run): "
        f"{backends:.1e} across the other backends, {peers:.1e} across the peers. The final test accuracies "
        f"differ from naive's ({percent(reference['test_accuracy'])}) by at most {test_points:.2f} points. "
        "numpy-float64 computes in double precision, so its difference is mostly naive's float rounding.",
        table(["run", "kind", "max relative loss difference", "final loss", "test accuracy"], rows),
        "![loss, dev accuracy and relative loss difference per iteration](plots/curves.png)",
    ])


def benchmark_section(r):
    full = r.full_batch()
    naive_full = r.benchmarks[("naive", "train_step", full)].seconds
    rows = []
    for b in r.backends:
        f, m = r.benchmarks[(b, "train_step", full)], r.benchmarks[(b, "train_step", 64)]
        rows.append((f"`{b}`", r.backend_context(b, "library"), r.backend_context(b, "isa"), f.threads,
                     f"{f.seconds * 1e3:.2f}", f"{f.samples_per_second:,.0f}", f"{f.flops / 1e9:.1f}",
                     f"{naive_full / f.seconds:.1f}×", f"{m.seconds * 1e6:.1f}", f"{m.samples_per_second:,.0f}"))
    return "\n\n".join([
        "## One training step (Google Benchmark `*/train_step/*`)",
        "Forward, backward and update on the first images of the training split, checked against naive "
        "before timing; wall time. GFLOP/s counts the step's products (`common/model/cost_model.h`, the count "
        "`compare` and `profile` use too).",
        table(["backend", "library", "ISA", "threads", f"ms/step ({full:,})", "samples/s", "GFLOP/s",
               "× naive", "µs/step (64)", "samples/s"], rows),
    ])


def training_section(r):
    flops_per_sample = r.compare["flops_per_sample"]
    runs64 = dict((label, run) for label, run, _ in runs_with_peers(r.compare64, r.peers64))
    rows = []
    for label, run, is_peer in runs_with_peers(r.compare, r.peers):
        mini = runs64[label]
        rows.append((f"`{label}`" if not is_peer else f"{label} (peer)", run["threads"],
                     f"{run['seconds_per_iteration'] * 1e3:.2f}", f"{run['samples_per_second']:,.0f}",
                     f"{run['samples_per_second'] * flops_per_sample / 1e9:.1f}", f"{run['final_loss']:.6f}",
                     percent(run["dev_accuracy"]), percent(run["test_accuracy"]),
                     f"{mini['seconds_per_iteration'] * 1e6:.1f}", f"{mini['samples_per_second']:,.0f}",
                     percent(mini["test_accuracy"])))
    full_rows = [(label, run["samples_per_second"], is_peer) for label, run, is_peer in runs_with_peers(r.compare, r.peers)]
    rows64 = [(label, run["samples_per_second"], is_peer) for label, run, is_peer in runs_with_peers(r.compare64, r.peers64)]
    report_plots.samples_per_second(r.full_batch(), full_rows, rows64, r.folder / "plots" / "samples_per_second.png")
    return "\n\n".join([
        "## Training runs: `mnistbench compare` and the peers",
        f"The tutorial's settings ({r.compare['runs'][0]['iterations']} full-batch steps, alpha "
        f"{r.compare['runs'][0]['alpha']:g}, seed {r.compare['seed']}), then one epoch of mini-batch 64. "
        "The peers start from the initial weights mnistbench wrote (`--save-initial-weights`) and train on "
        "the same split; at batch 64 they draw their own batch order (NumPy's generator), so their "
        "mini-batch figures compare in speed, not step by step. Time per step is the median of the timed "
        "steps (forward, backward, update; evaluation and batch gathering excluded), as mnistbench times it. "
        f"GFLOP/s counts {flops_per_sample:,.0f} FLOPs per image per step.",
        table(["run", "threads", "ms/step (full)", "samples/s", "GFLOP/s", "final loss", "dev", "test",
               "µs/step (64)", "samples/s (64)", "test (64)"], rows),
        "![samples per second, full batch and batch 64](plots/samples_per_second.png)",
    ])


def ops_section(r):
    report_plots.op_times(r, r.folder / "plots" / "op_times.png")
    parts = ["## Time per op (Google Benchmark `*/<op>/*`)",
             "Each op of the backend interface at the shape one training step calls it with, on that "
             "step's data, checked against naive before timing. The sum of the ops can exceed the measured "
             "step where a backend fuses ops, and differs from it by timing noise otherwise.",
             "![time per op per backend, stacked](plots/op_times.png)"]
    for batch, unit, scale in ((r.full_batch(), "ms", 1e3), (64, "µs", 1e6)):
        rows = [(op, *(f"{r.benchmarks[(b, op, batch)].seconds * scale:.3f}" for b in r.backends)) for op in r.ops()]
        rows.append(("**sum of the ops**", *(f"{sum(r.benchmarks[(b, op, batch)].seconds for op in r.ops()) * scale:.3f}" for b in r.backends)))
        rows.append(("**train_step**", *(f"{r.benchmarks[(b, 'train_step', batch)].seconds * scale:.3f}" for b in r.backends)))
        parts += [f"Batch {batch:,}, {unit} per call:", table(["op", *r.backends], rows)]
    return "\n\n".join(parts)


def limiting_sentence(profile):
    """What a backend's profile says limits its step, in one sentence."""
    step = profile["step_figures"]
    top = max(profile["ops"], key=lambda op: op["share_of_step"])
    outside = outside_products(profile)
    sentence = (f"its step runs at {percent(step['limit_fraction'])} of the one-core limit; "
                f"`{top['name']}` takes {percent(top['share_of_step'])} of it, {top['bound']}-bound at "
                f"{percent(top['limit_fraction'])} of that op's limit")
    if profile["step"] == "fine ops":
        sentence += f", and {percent(outside)} of the step is outside the products"
    return sentence + "."


def libraries_section(r):
    """Issue 10's table: each library at its instruction set and thread counts, against the limit and the fastest."""
    full = r.full_batch()
    steps = {n: {b: r.sweep[n][(b, "train_step", full)] for b in r.backends} for n in SWEEP}
    fastest = {n: min(x.seconds for x in steps[n].values()) for n in SWEEP}
    limits = {n: step_limit(r, n)[0] for n in SWEEP}
    mini = {b: r.sweep[max(SWEEP)][(b, "train_step", 64)] for b in r.backends}
    fastest_mini = min(x.seconds for x in mini.values())
    rows = []
    for b in r.backends:
        cells = [f"`{b}`", r.backend_context(b, "library"), r.backend_context(b, "isa")]
        for n in SWEEP:
            x = steps[n][b]
            cells += [f"{x.threads}", f"{x.seconds * 1e3:.2f}", f"{x.seconds / limits[n]:.2f}×",
                      f"{x.seconds / fastest[n]:.2f}×"]
        cells += [f"{mini[b].seconds * 1e6:.1f}", f"{mini[b].seconds / fastest_mini:.2f}×"]
        rows.append(cells)
    header = ["backend", "library", "instruction set"]
    for n in SWEEP:
        header += [f"threads (asked {n})", f"ms/step, full", f"× limit ({n} thr)", "× fastest"]
    header += [f"µs/step, 64 ({max(SWEEP)} thr)", "× fastest"]
    sentences = [f"- `{b}`: " + (limiting_sentence(r.profiles[b]) if b in r.profiles else "not profiled in this run.")
                 for b in r.backends]
    return "\n\n".join([
        "## Libraries × instruction sets × threads",
        "Each backend as it runs here: the library and the instruction set it reports, and the threads it "
        "really used when asked for 1 and for 2 (a backend without threads stays at 1). Full-batch and "
        "batch-64 steps from Google Benchmark `train_step` (the thread sweep); × limit is the step against "
        "this machine's full-batch limit on that many cores (as in the targets above), × fastest against the "
        "fastest backend at the same thread count. What limits each, from `mnistbench profile` on one thread "
        "(`profile/<backend>.json`):",
        table(header, rows),
        "\n".join(sentences),
    ])


def threads_section(r):
    full = r.full_batch()
    threaded = [b for b in r.backends if r.sweep[max(SWEEP)][(b, "train_step", full)].threads > 1]
    rows, plot_rows = [], []
    for b in threaded:
        per_full = {n: r.sweep[n][(b, "train_step", full)].samples_per_second for n in SWEEP}
        per_64 = {n: r.sweep[n][(b, "train_step", 64)].samples_per_second for n in SWEEP}
        plot_rows.append((b, per_full, per_64))
    for name in PEERS:
        per_full = {n: r.peer_sweep[(name, n)][0]["samples_per_second"] for n in SWEEP}
        per_64 = {n: r.peer_sweep[(name, n)][1]["samples_per_second"] for n in SWEEP}
        plot_rows.append((name, per_full, per_64))
    for label, per_full, per_64 in plot_rows:
        rows.append((label, *(f"{per_full[n]:,.0f}" for n in SWEEP), f"{per_full[SWEEP[-1]] / per_full[SWEEP[0]]:.2f}×",
                     *(f"{per_64[n]:,.0f}" for n in SWEEP), f"{per_64[SWEEP[-1]] / per_64[SWEEP[0]]:.2f}×"))
    report_plots.threads(plot_rows, r.folder / "plots" / "threads.png")
    header = ["", *(f"full, {n} thr" for n in SWEEP), "speed-up", *(f"64, {n} thr" for n in SWEEP), "speed-up"]
    return "\n\n".join([
        "## Thread sweep",
        f"Samples/s on {' and '.join(map(str, SWEEP))} threads: the backends that use threads "
        f"({', '.join(f'`{b}`' for b in threaded) or 'none'}; Google Benchmark `train_step`, "
        "`MNISTBENCH_THREADS=N`) and the peers (50 full-batch steps and one epoch of batch 64, `--threads N`). "
        "Worker threads that spin while they wait (OpenBLAS's, and the OpenMP pool PyTorch uses) slow down "
        "badly when other processes hold the cores, as on a shared machine, and such runs swing widely from "
        "one run to the next: compare a peer at its best thread count.",
        table(header, rows),
        "![thread sweep](plots/threads.png)",
    ])


def probe(r, threads):
    return next(x for x in r.machine["limits"] if x["threads"] == threads)


def step_limit(r, threads):
    """The full-batch step limit on `threads` cores, and whether the probe was contended.

    `mnistbench machine` probes each thread count once; on a shared machine a
    busy core makes the n-thread probe find less than n cores' FLOP/s, and
    the limit it reports then flatters every n-thread step. So the limit used
    is the stricter of the probe's and the one from n times the 1-thread peak
    (with the n-thread bandwidth)."""
    measured = probe(r, threads)
    step = r.machine["full_batch_step"]
    ideal = max(step["flops"] / (threads * probe(r, 1)["peak_flops_per_second"]),
                step["bytes"] / measured["read_bytes_per_second"])
    return min(measured["full_batch_step_limit_seconds"], ideal), \
        measured["full_batch_step_limit_seconds"] > ideal * 1.05


def outside_products(profile):
    """The share of a profiled step spent outside the products (matmul calls)."""
    return 1.0 - sum(op["share_of_step"] for op in profile["ops"] if op["name"].startswith("matmul"))


def verdict(met):
    return "met" if met else "**not met**"


def pytorch_best(r):
    """PyTorch at its best thread count: (full-batch seconds per step, batch-64 samples/s, OpenBLAS core)."""
    full = min([r.peers["torch"]["seconds_per_iteration"]] +
               [r.peer_sweep[("torch", n)][0]["seconds_per_iteration"] for n in SWEEP])
    mini = max([r.peers64["torch"]["samples_per_second"]] +
               [r.peer_sweep[("torch", n)][1]["samples_per_second"] for n in SWEEP])
    core = r.peers["torch"].get("peer", {}).get("blas", {}).get("core", "n/a")
    return full, mini, core


def target_rows(r):
    """Issue 14's four targets, each computed from this run's own files:
    [(target, measured, ratio, goal, verdict)], plus the arithmetic for any
    that no code could meet on this machine."""
    full = r.full_batch()
    threads = max(x["threads"] for x in r.machine["limits"])
    limit_n, limit_1 = step_limit(r, threads)[0], step_limit(r, 1)[0]
    steps = {b: r.sweep[threads][(b, "train_step", full)] for b in r.backends}
    fastest = min(steps, key=lambda b: steps[b].seconds)
    t_fast = steps[fastest].seconds
    simd_1 = r.sweep[1][("simd", "train_step", full)].seconds
    torch_full, torch_64, core = pytorch_best(r)
    runs64 = {run["backend"]: run for run in r.compare64["runs"]}
    fastest64 = max(runs64, key=lambda b: runs64[b]["samples_per_second"])
    rate64 = runs64[fastest64]["samples_per_second"]
    rows = [
        (f"fastest full-batch step vs the {threads}-core limit", f"`{fastest}`, {steps[fastest].threads} thread(s): "
         f"{t_fast * 1e3:.2f} ms vs {limit_n * 1e3:.2f} ms", f"{t_fast / limit_n:.2f}×", "≤ 1.25×",
         verdict(t_fast / limit_n <= 1.25)),
        ("`simd`, 1 thread, vs the one-core limit", f"{simd_1 * 1e3:.2f} ms vs {limit_1 * 1e3:.2f} ms",
         f"{simd_1 / limit_1:.2f}×", "≤ 1.25×", verdict(simd_1 / limit_1 <= 1.25)),
        ("full batch: fastest vs PyTorch", f"PyTorch best of 1/{threads} threads {torch_full * 1e3:.1f} ms "
         f"(OpenBLAS core {core}) vs `{fastest}` {t_fast * 1e3:.2f} ms", f"{torch_full / t_fast:.1f}× faster",
         "≥ 10×", verdict(torch_full / t_fast >= 10)),
        ("batch 64: fastest samples/s vs PyTorch", f"`{fastest64}` {rate64:,.0f}/s vs PyTorch best {torch_64:,.0f}/s",
         f"{rate64 / torch_64:.1f}×", "≥ 10×", verdict(rate64 / torch_64 >= 10)),
    ]
    reach = []
    if torch_full / 10 < limit_n:
        reach.append(f"10× PyTorch at full batch needs a step of {torch_full / 10 * 1e3:.2f} ms, under the "
                     f"{threads}-core limit of {limit_n * 1e3:.2f} ms: out of reach for any code on this machine; "
                     f"at the limit itself the ratio would be {torch_full / limit_n:.1f}×.")
    return rows, reach


def targets_section(r):
    """Issue 14's targets, and the earlier issues' that still apply, each from this run's own files."""
    full = r.full_batch()
    threads = max(x["threads"] for x in r.machine["limits"])
    limit_n, contended = step_limit(r, threads)
    rows, reach = target_rows(r)
    rows = [(f"{i}. {target}", *rest) for i, (target, *rest) in enumerate(rows, 1)]
    for b in ("tbb", "simd"):
        if (b, "train_step", full) not in r.sweep[1]:
            continue
        one, two = r.sweep[1][(b, "train_step", full)], r.sweep[2][(b, "train_step", full)]
        rows.append((f"`{b}` 2 threads vs 1, full batch", f"{one.seconds * 1e3:.2f} → {two.seconds * 1e3:.2f} ms",
                     f"{one.seconds / two.seconds:.2f}×", "≥ 1.8×" if b == "tbb" else "(for reference)",
                     verdict(one.seconds / two.seconds >= 1.8) if b == "tbb" else ""))
    for b in ("blas", "eigen"):
        if b in r.profiles:
            share = outside_products(r.profiles[b])
            rows.append((f"`{b}`: share of a step outside the products", "`mnistbench profile`, 1 thread",
                         percent(share), "≤ 25%", verdict(share <= 0.25)))
    for rss in r.rss.values():
        mib, mb = rss["max_rss_kib"] / 1024, rss["max_rss_kib"] * 1024 / 1e6
        # Issue 9's target for simd; issue 6's for every backend.
        goal, met = ("< 128 MiB", mib < 128) if rss["backend"] == "simd" else ("< 300 MB", mb < 300)
        rows.append((f"peak RSS, full-batch training (`{rss['backend']} --threads {rss['threads']}`)",
                     f"{rss['iterations']} steps, GNU time's maximum RSS", f"{mib:.1f} MiB ({mb:.1f} MB)", goal,
                     verdict(met)))
    reference = r.compare["runs"][0]
    worst_peer = max(max(d for _, d in relative_loss_differences(reference, r.peers[name])) for name in PEERS)
    rows.append(("accuracy: `compare` agreement check", "every backend within its tolerances of naive "
                 "(compare exits non-zero otherwise, and this run would have stopped)", "passed", "passes", "met"))
    rows.append(("accuracy: peers' loss curves vs naive", "largest relative loss difference at a logged step",
                 f"{worst_peer:.1e}", "as in the agreement section", ""))
    note = ""
    if contended:
        note = (f"The {threads}-thread probe found only {probe(r, threads)['peak_flops_per_second'] / 1e9:.0f} GFLOP/s "
                "(another process held a core while it ran), so the "
                f"{threads}-thread limit here is {threads} × the 1-thread peak: "
                f"{limit_n * 1e3:.2f} ms rather than the probe's {probe(r, threads)['full_batch_step_limit_seconds'] * 1e3:.2f} ms.")
    return "\n\n".join(part for part in [
        "## Targets",
        f"Issue 14's targets (1-4) and the earlier ones still held, each figure from this run's own files: step "
        f"limits from `machine.json` (`mnistbench machine`, "
        f"peak {r.machine['limits'][0]['peak_flops_per_second'] / 1e9:.0f} GFLOP/s and "
        f"{r.machine['limits'][0]['read_bytes_per_second'] / 1e9:.1f} GB/s on 1 thread, "
        f"{probe(r, threads)['peak_flops_per_second'] / 1e9:.0f} GFLOP/s on "
        f"{threads}; a full-batch step is {r.machine['full_batch_step']['flops'] / 1e9:.2f} GFLOP and "
        f"{r.machine['full_batch_step']['bytes'] / 1e6:.0f} MB read at least); step times from Google Benchmark "
        "`train_step` (full batch, the thread sweep for 1 and 2 threads); PyTorch from its peer runs at its best "
        "thread count, with `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` unset so that OpenBLAS picks its own kernel; "
        "batch 64 from `mnistbench compare --batch-size 64` against the peer's same measure; "
        "shares from `profile/*.json`; peak memory from `rss_*.json`.",
        note,
        table(["target", "measured", "ratio", "goal", ""], rows),
        " ".join(reach),
    ] if part)


def blas_kernels_section(r):
    """The blas backend with the environment's OpenBLAS kernel and with OpenBLAS's own choice."""
    if not r.blas_own_kernel:
        return ""
    full = r.full_batch()
    env_core, own_core = r.openblas_core(), r.openblas_core(r.blas_own_kernel_context)
    rows = []
    for n in sorted(r.blas_own_kernel):
        for batch in (full, 64):
            env, own = r.sweep[n][("blas", "train_step", batch)], r.blas_own_kernel[n][("blas", "train_step", batch)]
            unit, scale = ("ms", 1e3) if batch == full else ("µs", 1e6)
            rows.append((n, f"{batch:,}", f"{env.seconds * scale:.2f} {unit}", f"{own.seconds * scale:.2f} {unit}",
                         f"{env.seconds / own.seconds:.2f}×"))
    coretype = r.context.get("openblas_coretype", "(unset)")
    return "\n\n".join([
        "## blas: the environment's kernel and OpenBLAS's own",
        f"This machine's environment sets `OPENBLAS_CORETYPE={coretype}` (older OpenBLAS builds need it), which "
        f"makes OpenBLAS run core {env_core}'s kernels; unset, with `OPENBLAS_L2_SIZE`, OpenBLAS chose core "
        f"{own_core}. Both from Google Benchmark `blas/train_step`, the second run right after the thread sweep "
        "(`threads/benchmark_blas_own_kernel_threads*.json`). Every other blas figure in this report uses the "
        "environment's kernel, as the tests and CI do.",
        table(["threads", "batch", f"environment ({env_core})", f"own choice ({own_core})", "own speed-up"], rows),
    ])


def bound_sentence(r, threads):
    """Which roof bounds a full-batch step on this machine: the side of the ridge its intensity falls on."""
    limits = probe(r, threads)
    ridge = limits["peak_flops_per_second"] / limits["read_bytes_per_second"]
    step = r.machine["full_batch_step"]
    intensity = step["flops"] / step["bytes"]
    side = "right of the ridge: compute-bound" if intensity > ridge else "left of the ridge: bandwidth-bound"
    return (f"A full-batch step does {intensity:.1f} FLOP per byte against a ridge at {ridge:.1f} on {threads} "
            f"cores: {side}.")


def roofline_section(r):
    """Each backend's steps as points under the probe's roofs."""
    threads = max(x["threads"] for x in r.machine["limits"])
    roofs = [(f"{x['threads']} core{'s' if x['threads'] > 1 else ''}", x["peak_flops_per_second"],
              x["read_bytes_per_second"]) for x in r.machine["limits"]]
    points = []
    for b in r.backends:
        for batch, label in ((r.full_batch(), "full"), (64, "64")):
            x = r.sweep[threads][(b, "train_step", batch)]
            if x.flops and x.bytes_per_second:
                points.append((b, x.flops / x.bytes_per_second, x.flops, label))
    step = r.machine["full_batch_step"]
    torch_full = pytorch_best(r)[0]
    points.append(("PyTorch", step["flops"] / step["bytes"], step["flops"] / torch_full, "full"))
    report_plots.roofline(roofs, points, r.folder / "plots" / "roofline.png")
    return "\n\n".join([
        "## Roofline",
        f"The probe's compute and bandwidth roofs (`machine.json`) on 1 and {threads} cores, and every backend's "
        f"full-batch and batch-64 `train_step` on {threads} threads (the thread sweep) as points: arithmetic "
        "intensity is the one cost model's FLOP over the bytes a step must read (common/model/cost_model.h, as "
        "Google Benchmark's counters carry them), height the FLOP/s achieved. PyTorch's full-batch step is "
        "placed with the same cost model. " + bound_sentence(r, threads),
        "![roofline](plots/roofline.png)",
    ])


REPRODUCE = """## Reproducing and comparing

    bench/reproduce.sh                 # everything in this folder, from scratch (about 25 minutes)

To compare two Google Benchmark runs (say before and after a change), use
Google Benchmark's own tool from Debian's `libbenchmark-tools`, which tests
whether each difference is significant (`--benchmark_repetitions=9` or so
gives it samples to test):

    /usr/bin/python3 /usr/share/benchmark/compare.py benchmarks old.json new.json
    /usr/bin/python3 /usr/share/benchmark/compare.py filters results/amd-epyc-zen5/benchmark.json '^eigen/' '^simd/'
"""


def precision_section(folder, run_commit):
    """The precision ladder (bench/precision_ladder.py), when the run made one; its commit when
    the ladder was run again after the rest of the run (bench/precision_ladder.py alone)."""
    path = folder / "precision_ladder" / "precision_ladder.json"
    if not path.exists():
        return None
    ladder = json.loads(path.read_text())
    report_plots.precision_ladder(ladder, folder / "plots" / "precision_ladder.png")
    rows = [[r["backend"], r["precision"], r["threads"], f"{r['full_batch_seconds_per_step'] * 1e3:.3f}",
             f"{r.get('full_batch_speedup_vs_fp32', 0):.2f}x", f"{r['batch64_seconds_per_step'] * 1e6:.2f}",
             f"{r.get('batch64_speedup_vs_fp32', 0):.2f}x", f"{r['final_loss']:.6f}", percent(r["dev_accuracy"]),
             percent(r["test_accuracy"]), f"{r.get('test_accuracy_vs_fp32_points', 0):+.2f}"] for r in ladder["runs"]]
    refused = "".join(f"\n- {x['backend']} at {x['precision']}: `{x['refusal']}`" for x in ladder["refused"])
    return "\n\n".join(filter(None, [
        "## Precision ladder",
        f"`--precision`: the products with the input in bf16 (vdpbf16ps, float32 sums) or int8 (vpdpbusd forward, "
        f"one scale per row of W1; bf16 backward); weights, update and the rest stay float32. Full batch: "
        f"{ladder['iterations']} steps from seed 42 (the accuracy figures); batch {ladder['batch']}: "
        f"{ladder['epochs']} epoch. Step times are medians of {ladder['repeats']} interleaved runs; load (1 min) "
        f"{ladder['load_before']:.2f} → {ladder['load_after']:.2f}."
        + ("" if run_commit.startswith(ladder["git_commit"]) or ladder["git_commit"].startswith(run_commit)
           else f" Run again alone, at commit `{ladder['git_commit']}` (the rest of this page: `{run_commit}`)."),
        table(["backend", "precision", "threads", "full-batch ms/step", "vs fp32", f"batch-{ladder['batch']} µs/step",
               "vs fp32", "final loss", "dev", "test", "test − fp32, pp"], rows),
        "![precision ladder](plots/precision_ladder.png)",
        ("Refused:" + refused) if refused else None,
    ]))


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "results")
    r = load(folder)
    (folder / "plots").mkdir(exist_ok=True)
    report_plots.curves(r.compare["runs"][0], runs_with_peers(r.compare, r.peers), folder / "plots" / "curves.png")
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        "# mnistbench results",
        f"Generated by `bench/reproduce.sh` ({generated}); do not edit, regenerate. The raw figures are beside "
        "this file: `benchmark.json` (Google Benchmark), `compare.json` and `compare_batch64.json` "
        "(`mnistbench compare --json`), `race.json` (`mnistbench race --json`), `machine.json`, `profile/`, "
        "`rss_*.json`, `peers/` and `threads/`.",
        machine_section(r), targets_section(r), roofline_section(r), libraries_section(r),
        *([blas_kernels_section(r)] if r.blas_own_kernel else []), *([race_section(r)] if r.race else []),
        agreement_section(r), training_section(r), benchmark_section(r), ops_section(r), threads_section(r),
        *filter(None, [precision_section(folder, r.context["git_commit"])]), REPRODUCE,
    ]
    (folder / "README.md").write_text("\n\n".join(sections).rstrip() + "\n")


if __name__ == "__main__":
    main()
