#!/usr/bin/env python3
"""What grew between two moments of a heaptrack recording, by allocation site.

heaptrack's own reports show the peak and what is left at exit; neither tells what
grows during a soak. This reads heaptrack's raw event stream and compares the live
bytes of each allocation site (averaged over a few instants, since requests in
flight come and go) between two windows.

    heaptrack_growth.py RECORDING.zst EARLY_SECONDS LATE_SECONDS [TOP]

EARLY_SECONDS and LATE_SECONDS are comma-separated instants, in seconds since the
recording began: for example `280,300,320,340 860,880,900,920`. To record
`cargo xtask load`, put a script in place of `target/release/wca` that runs
`exec heaptrack -o /tmp/ht/wca target/release/wca.real "$@"` (after moving the
binary to wca.real), and stop the server with SIGKILL before the load ends, so
that the recording holds the live set under load rather than the shutdown.

Needs zstdcat. Reads heaptrack's file format version 3 (heaptrack 1.4).
"""
import collections
import subprocess
import sys


def main():
    path, early, late = sys.argv[1], sys.argv[2], sys.argv[3]
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    windows = [[int(x) * 1000 for x in w.split(",")] for w in (early, late)]
    marks = sorted(windows[0] + windows[1])

    sizes, traces, live = [], [], []
    strings, ips, trace_nodes = [None], [None], [None]
    snapshots = {}
    next_mark = 0
    zstd = subprocess.Popen(["zstdcat", path], stdout=subprocess.PIPE, bufsize=1 << 20)
    for line in zstd.stdout:
        kind = line[:1]
        if kind == b"+":
            live[int(line[2:], 16)] += 1
        elif kind == b"-":
            live[int(line[2:], 16)] -= 1
        elif kind == b"a":  # allocation info: size, trace
            _, size, trace = line.split()
            sizes.append(int(size, 16))
            traces.append(int(trace, 16))
            live.append(0)
        elif kind == b"c":  # timestamp, ms
            now = int(line[2:], 16)
            while next_mark < len(marks) and now >= marks[next_mark]:
                snapshots[marks[next_mark]] = list(live)
                next_mark += 1
        elif kind == b"s":
            text = line[2:].decode(errors="replace").rstrip("\n")
            strings.append(text.split(" ", 1)[1] if " " in text else "")
        elif kind == b"i":
            ips.append(line.split()[1:])
        elif kind == b"t":
            _, ip, parent = line.split()
            trace_nodes.append((int(ip, 16), int(parent, 16)))

    def live_bytes(instants):
        total, count = collections.Counter(), collections.Counter()
        taken = [snapshots[t] for t in instants if t in snapshots]
        for snap in taken:
            for info, n in enumerate(snap):
                if n:
                    total[traces[info]] += n * sizes[info] / len(taken)
                    count[traces[info]] += n / len(taken)
        return total, count, len(taken)

    (a, a_n, a_k), (b, b_n, b_k) = live_bytes(windows[0]), live_bytes(windows[1])
    if not a_k or not b_k:
        sys.exit("no snapshot in a window: the recording is shorter than that")
    mib = 1 << 20
    print(f"live: {sum(a.values()) / mib:.1f} MiB early, {sum(b.values()) / mib:.1f} MiB late")

    def name(index):
        return strings[index] if index < len(strings) else "?"

    def frames(trace):
        out = []
        while trace and len(out) < 40:
            ip, trace = trace_nodes[trace]
            rest = ips[ip][2:]  # after the address and the module: function, file, line
            for k in range(0, len(rest) - 2, 3):
                function = name(int(rest[k], 16))
                file = name(int(rest[k + 1], 16)).rsplit("/", 1)[-1]
                out.append(f"{function[:100]} {file}:{int(rest[k + 2], 16)}")
        return [f for f in out if "alloc" not in f.split(" ")[-1] and "raw_vec" not in f]

    for site in sorted(set(a) | set(b), key=lambda s: a[s] - b[s])[:top]:
        print(
            f"\n{(b[site] - a[site]) / mib:+.3f} MiB ({a[site] / mib:.3f} -> {b[site] / mib:.3f}),"
            f" blocks {a_n[site]:.0f} -> {b_n[site]:.0f}"
        )
        for f in frames(site)[:16]:
            print("   ", f)


if __name__ == "__main__":
    main()
