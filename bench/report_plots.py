"""The report's five plots, as PNG files (matplotlib's Agg, no display)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

from report_data import SWEEP, relative_loss_differences  # noqa: E402

BACKEND_COLOUR = "tab:blue"
PEER_COLOUR = "tab:orange"


def save(figure, path):
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def samples_per_second(full_batch, rows_full, rows_64, path):
    """rows: [(label, samples/s, is_peer)]; one bar chart per batch size."""
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, rows, title in ((axes[0], rows_full, f"full batch ({full_batch:,} images)"), (axes[1], rows_64, "batch 64")):
        labels = [r[0] for r in rows]
        ax.barh(labels, [r[1] for r in rows], color=[PEER_COLOUR if r[2] else BACKEND_COLOUR for r in rows])
        for y, r in enumerate(rows):
            ax.text(r[1], y, f" {r[1]:,.0f}", va="center", fontsize=8)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("samples/s (log scale; blue: mnistbench backends, orange: peers)")
        ax.set_title(f"training throughput, {title}")
        ax.margins(x=0.25)
    save(figure, path)


def op_times(results, path):
    """Stacked time per op for each backend, with the measured whole step beside it."""
    ops = results.ops()
    backends = results.backends
    colours = plt.get_cmap("tab20").colors
    figure, axes = plt.subplots(1, 2, figsize=(13, 5))
    for ax, batch, unit, scale in ((axes[0], results.full_batch(), "ms", 1e3), (axes[1], 64, "µs", 1e6)):
        bottoms = [0.0] * len(backends)
        for i, op in enumerate(ops):
            heights = [results.benchmarks[(b, op, batch)].seconds * scale for b in backends]
            ax.bar(backends, heights, bottom=bottoms, color=colours[i % len(colours)], label=op, width=0.6)
            bottoms = [x + h for x, h in zip(bottoms, heights)]
        steps = [results.benchmarks[(b, "train_step", batch)].seconds * scale for b in backends]
        ax.scatter(backends, steps, marker="D", color="black", zorder=3, label="train_step (measured whole)")
        ax.set_ylabel(f"{unit} per call")
        ax.set_title(f"time per op, batch {batch:,}")
    axes[1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save(figure, path)


def curves(reference, runs, path):
    """runs: [(label, run JSON, is_peer)]; loss, dev accuracy and the relative loss difference."""
    figure, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    # One colour per backend (eight now) and one per peer, none shared.
    backend_colours = iter(["black", "tab:blue", "tab:green", "tab:purple", "tab:red", "tab:cyan", "tab:olive",
                            "tab:gray", "navy", "darkgoldenrod", "magenta"])
    peer_colours = iter(["tab:orange", "tab:brown", "tab:pink", "gold"])
    styles = ["-", "--", "-.", ":"]
    for i, (label, run, is_peer) in enumerate(runs):
        iterations = [h["iteration"] for h in run["history"]]
        style = dict(linestyle=styles[i % len(styles)], linewidth=1.2,
                     color=next(peer_colours if is_peer else backend_colours))
        axes[0].plot(iterations, [h["loss"] for h in run["history"]], label=label, **style)
        axes[1].plot(iterations, [100 * (h["dev_accuracy"] or 0) for h in run["history"]], label=label, **style)
        if run is not reference:
            diffs = relative_loss_differences(reference, run)
            axes[2].plot([d[0] for d in diffs], [max(d[1], 1e-12) for d in diffs], label=label, **style)
    axes[0].set(title="training loss (each step's own forward pass)", xlabel="iteration", ylabel="cross-entropy")
    axes[1].set(title="dev accuracy (1,000 held-out images)", xlabel="iteration", ylabel="%")
    axes[2].set(title="|loss - naive's| / naive's", xlabel="iteration", yscale="log")
    axes[0].legend(fontsize=8)
    axes[2].legend(fontsize=7)
    save(figure, path)


def threads(rows, path):
    """rows: [(label, {threads: samples/s full}, {threads: samples/s batch 64})]."""
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    width = 0.8 / len(SWEEP)
    for ax, index, title in ((axes[0], 1, "full batch"), (axes[1], 2, "batch 64")):
        for j, n in enumerate(SWEEP):
            xs = [i + (j - (len(SWEEP) - 1) / 2) * width for i in range(len(rows))]
            ax.bar(xs, [r[index][n] for r in rows], width=width, label=f"{n} thread{'s' if n > 1 else ''}")
        ax.set_xticks(range(len(rows)), [r[0] for r in rows], rotation=20)
        ax.set_ylabel("samples/s")
        ax.set_title(f"thread sweep, {title}")
        ax.legend()
    save(figure, path)


def roofline(roofs, points, path):
    """roofs: [(label, peak FLOP/s, bytes/s)]; points: [(label, FLOP per byte, FLOP/s, batch label)].

    A step can go no faster than its compute roof, nor than its bandwidth
    roof times its arithmetic intensity: where a point sits under the lower
    of the two says how far that step is from what the machine allows."""
    figure, ax = plt.subplots(figsize=(10, 6))
    intensities = [p[1] for p in points]
    ridges = [peak / bandwidth for _, peak, bandwidth in roofs]
    x = [min(intensities + ridges) / 4, max(intensities + ridges) * 4]
    for (label, peak, bandwidth), ridge, style in zip(roofs, ridges, ("-", "--", ":", "-.")):
        xs = [x[0], ridge, x[1]]
        ax.plot(xs, [min(peak, bandwidth * i) / 1e9 for i in xs], color="black", linestyle=style,
                label=f"roof, {label}: {peak / 1e9:.0f} GFLOP/s, {bandwidth / 1e9:.1f} GB/s")
    labels = list(dict.fromkeys(p[0] for p in points))
    batches = list(dict.fromkeys(p[3] for p in points))
    colours = plt.get_cmap("tab20").colors
    markers = "os^D"
    for label, intensity, flops, batch in points:
        ax.scatter(intensity, flops / 1e9, color=colours[labels.index(label) % len(colours)],
                   marker=markers[batches.index(batch) % len(markers)], s=50, zorder=3, edgecolors="black",
                   linewidths=0.4)
    # The legend names each colour once and each marker once, rather than every point.
    for i, label in enumerate(labels):
        ax.scatter([], [], color=colours[i % len(colours)], marker="o", label=label)
    for i, batch in enumerate(batches):
        ax.scatter([], [], color="white", edgecolors="black", marker=markers[i % len(markers)], label=f"batch {batch}")
    ax.set(xscale="log", yscale="log", xlim=x, xlabel="arithmetic intensity (FLOP per byte a step must read, cost model)",
           ylabel="achieved GFLOP/s", title="roofline: each step against the machine's roofs")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save(figure, path)


def precision_ladder(ladder, path):
    """Per backend and precision: the speed-up over the same backend's fp32, and test accuracy's difference."""
    runs = ladder["runs"]
    labels = [f"{r['backend']} {r['precision']}" for r in runs]
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    width = 0.4
    xs = range(len(runs))
    axes[0].bar([x - width / 2 for x in xs], [r.get("full_batch_speedup_vs_fp32", 0) for r in runs], width,
                label="full batch")
    axes[0].bar([x + width / 2 for x in xs], [r.get("batch64_speedup_vs_fp32", 0) for r in runs], width,
                label=f"batch {ladder['batch']}")
    axes[0].axhline(1.0, color="black", linewidth=0.8)
    axes[0].set_xticks(list(xs), labels, rotation=20)
    axes[0].set(title="step speed-up over the same backend at fp32", ylabel="x")
    axes[0].legend()
    axes[1].bar(list(xs), [r.get("test_accuracy_vs_fp32_points", 0) for r in runs], color=BACKEND_COLOUR)
    axes[1].axhline(0.0, color="black", linewidth=0.8)
    axes[1].set_xticks(list(xs), labels, rotation=20)
    axes[1].set(title=f"test accuracy minus fp32's after {ladder['iterations']} full-batch steps",
                ylabel="percentage points")
    save(figure, path)
