#!/usr/bin/env python3
"""What grew between two moments of a heaptrack recording, by allocation site.

heaptrack's own reports show the peak and what is left at exit; neither tells what
grows during a soak. This reads heaptrack's raw event stream and compares the live
bytes of each allocation site (averaged over a few instants, since requests in
flight come and go) between two windows.

    heaptrack_growth.py RECORDING.zst WINDOW WINDOW [WINDOW ...] [--top N]

Each WINDOW is a comma-separated list of instants, in seconds since the recording
began: for example `280,300,320,340 860,880,900,920`. Sites are ranked by what
they gained from the first window to the last; with three windows or more, the
ones between show whether a site grows steadily or stepped up once. To record
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
    args = sys.argv[1:]
    top = 12
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i : i + 2]
    if len(args) < 3:
        sys.exit(__doc__)
    path = args[0]
    windows = [[int(x) * 1000 for x in w.split(",")] for w in args[1:]]
    marks = sorted(t for w in windows for t in w)

    sizes, traces, live = [], [], []
    strings, ips, trace_nodes = [None], [None], [None]
    snapshots = {}
    next_mark = 0
    zstd = subprocess.Popen(["zstdcat", path], stdout=subprocess.PIPE, bufsize=1 << 20)
    for line in zstd.stdout:
        if not line.endswith(b"\n"):
            break  # a recording still being written ends mid-line
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

    measured = [live_bytes(w) for w in windows]
    if not all(k for _, _, k in measured):
        sys.exit("no snapshot in a window: the recording is shorter than that")
    mib = 1 << 20
    print("live:", " -> ".join(f"{sum(b.values()) / mib:.1f}" for b, _, _ in measured), "MiB")
    first, last = measured[0][0], measured[-1][0]

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

    sites = set().union(*(b for b, _, _ in measured))
    for site in sorted(sites, key=lambda s: first[s] - last[s])[:top]:
        path = " -> ".join(f"{b[site] / mib:.3f}" for b, _, _ in measured)
        blocks = " -> ".join(f"{n[site]:.0f}" for _, n, _ in measured)
        print(f"\n{(last[site] - first[site]) / mib:+.3f} MiB ({path}), blocks {blocks}")
        for f in frames(site)[:16]:
            print("   ", f)


if __name__ == "__main__":
    main()
