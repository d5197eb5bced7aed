"""The pandas side of `go run ./kernel bench`.

Each call runs one step of the comparison, the way a Cryptolens user does
it today with json + pandas, and prints one JSON line on stdout:

    {"times": [seconds per repetition], "rows": N, "bytes": N,
     "check": {name: text}}

The check values are the step's results in a form the Go side prints
identically, so the bench command can tell that both sides computed the
same answer.

Usage: python3 pandas_bench.py STEP CONFIG.json REPS

STEP is one of: versions, decode, e2e, prepare, success, heaviest, perday,
sharing, seats, display. CONFIG.json is written by the bench command: the
folder of JSON pages, the pickled frame's path, the seat-audit license.
"""

import gc
import json
import os
import sys
import time

import pandas as pd

SEAT_STATES = [2014, 2015, 6011, 2024]
NEVER = 2**63 - 1  # expiry of a seat taken without floatingExpires


def page_files(cfg):
    """The page files, in cursor order (their names sort that way)."""
    d = cfg["pages"]
    return [os.path.join(d, n) for n in sorted(os.listdir(d)) if n.endswith(".json")]


def logs_of(page, where):
    """The rows of one decoded page; an API error stops the run."""
    if page.get("result") != 0:
        raise SystemExit("%s: the page reports an error: %r" % (where, page.get("message")))
    return page["logs"] or []


def to_frame(logs):
    """The frame users build: one column per field, time as datetime."""
    df = pd.DataFrame(logs)
    df["time"] = pd.to_datetime(df["time"], unit="s")
    return df


def load_frame(files):
    """json.load every page, then build the frame."""
    logs = []
    for f in files:
        with open(f, "rb") as fh:
            logs.extend(logs_of(json.load(fh), f))
    return to_frame(logs)


# The analyses, as users write them.


def success_ratio(df):
    return (df["state"] % 100 // 10 == 1).value_counts(normalize=True)


def heaviest_keys(df):
    shares = df["key"].value_counts(normalize=True)
    return shares[shares > 0.01]


def per_day(df):
    ok = df["state"] % 100 // 10 == 1
    return df.assign(ok=ok).resample("D", on="time")["ok"].agg(["count", "sum"])


def key_sharing(df):
    per_key = df.groupby("key").agg(machines=("machineCode", "nunique"), ips=("ip", "nunique"))
    return per_key.sort_values(["ips", "machines"], ascending=False)


def seat_audit(df, key, max_machines, end):
    """Replay one license's floating-seat rows in id order, as the C# audit
    does: machine code -> seat expiry; a seat frees itself when its expiry
    passes."""
    rows = df[(df["key"] == key) & df["state"].isin(SEAT_STATES)].sort_values("id")
    times = rows["time"].astype("int64") // 10**9
    seats = {}
    events = []
    counts = dict.fromkeys(["activation", "verification", "deactivation", "expired",
                            "device limit reached", "deactivation (no seat held)", "overdraft"], 0)

    def expire(up_to):
        for exp, m in sorted((s[0], m) for m, s in seats.items() if s[0] <= up_to):
            del seats[m]
            counts["expired"] += 1
            events.append((exp, "expired", max_machines - len(seats), m, None))

    for t, state, m, name, fe in zip(times, rows["state"], rows["machineCode"],
                                     rows["friendlyName"], rows["floatingExpires"]):
        if m is None:
            m = ""
        if t >= end:
            continue
        expire(t)
        if state in (2014, 2015):
            action = "verification" if m in seats else "activation"
            seats[m] = (fe or NEVER, name)
            if state == 2015:
                counts["overdraft"] += 1
        elif state == 6011:
            action = "deactivation (no seat held)"
            if m in seats:
                del seats[m]
                action = "deactivation"
        else:
            action = "device limit reached"
        counts[action] += 1
        events.append((t, action, max_machines - len(seats), m, name))
    expire(end - 1)
    return events, counts


# Check values, formatted exactly as the Go side formats its own.


def check_success(r, n):
    return {"rows": str(n), "success share": "%.6f" % r.get(True, 0.0)}


def check_heavy(h):
    top = "%s %.6f" % (h.index[0], h.iloc[0]) if len(h) else "none"
    return {"heavy keys": str(len(h)), "heaviest": top}


def check_days(d):
    return {"days": str(len(d)), "per-day total": str(int(d["count"].sum()))}


def check_sharing(s):
    return {"keys": str(len(s)), "machines summed": str(int(s["machines"].sum())),
            "ips summed": str(int(s["ips"].sum()))}


def check_seats(counts):
    return {"seat replay": "act=%d ver=%d deact=%d exp=%d over=%d limit=%d" % (
        counts["activation"], counts["verification"], counts["deactivation"],
        counts["expired"], counts["overdraft"], counts["device limit reached"])}


def three_analyses(df):
    check = check_success(success_ratio(df), len(df))
    check.update(check_heavy(heaviest_keys(df)))
    check.update(check_days(per_day(df)))
    return check


def repeat(reps, fn):
    """Run fn reps times, collecting garbage before each, and return the
    times and fn's last result."""
    times, out = [], None
    for _ in range(reps):
        out = None
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def step_decode(cfg, reps):
    bodies = []
    for f in page_files(cfg):
        with open(f, "rb") as fh:
            bodies.append(fh.read())

    def run():
        logs = []
        for i, b in enumerate(bodies):
            logs.extend(logs_of(json.loads(b), "page %d" % (i + 1)))
        return to_frame(logs)

    times, df = repeat(reps, run)
    return {"times": times, "rows": len(df), "bytes": sum(len(b) for b in bodies)}


def step_e2e(cfg, reps):
    files = page_files(cfg)
    times, check = repeat(reps, lambda: three_analyses(load_frame(files)))
    return {"times": times, "rows": int(check["rows"]), "check": check}


def step_prepare(cfg, reps):
    t0 = time.perf_counter()
    df = load_frame(page_files(cfg))
    df.to_pickle(cfg["frame"])
    return {"times": [time.perf_counter() - t0], "rows": len(df)}


def in_memory(analysis, check):
    """A step that times one analysis on the prepared frame."""
    def step(cfg, reps):
        df = pd.read_pickle(cfg["frame"])
        times, out = repeat(reps, lambda: analysis(df, cfg))
        return {"times": times, "rows": len(df), "check": check(out, df)}
    return step


def audit(df, cfg):
    return seat_audit(df, cfg["auditKey"], cfg["auditSeats"], cfg["windowTo"])


STEPS = {
    "decode": step_decode,
    "e2e": step_e2e,
    "prepare": step_prepare,
    "success": in_memory(lambda df, cfg: success_ratio(df), lambda r, df: check_success(r, len(df))),
    "heaviest": in_memory(lambda df, cfg: heaviest_keys(df), lambda r, df: check_heavy(r)),
    "perday": in_memory(lambda df, cfg: per_day(df), lambda r, df: check_days(r)),
    "sharing": in_memory(lambda df, cfg: key_sharing(df), lambda r, df: check_sharing(r)),
    "seats": in_memory(audit, lambda r, df: check_seats(r[1])),
    "display": in_memory(lambda df, cfg: df._repr_html_(),
                         lambda r, df: {"pandas html bytes": str(len(r))}),
}


def peak_rss():
    """This process's peak resident memory in bytes: VmHWM, which unlike
    getrusage's ru_maxrss does not count the parent's memory before exec."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "versions":
        import numpy
        print(json.dumps({"python": sys.version.split()[0], "pandas": pd.__version__,
                          "numpy": numpy.__version__}))
        return 0
    if len(argv) != 4 or argv[1] not in STEPS:
        print("usage: pandas_bench.py {%s} CONFIG.json REPS" % ",".join(STEPS), file=sys.stderr)
        return 2
    with open(argv[2]) as fh:
        cfg = json.load(fh)
    out = STEPS[argv[1]](cfg, max(1, int(argv[3])))
    out["peakRSS"] = peak_rss()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
