#!/usr/bin/env python3
"""A hostile run against the real binary: bad files, damaged stores, full disks, kill -9.

Each trial states what must hold and counts whether it did. Run as root (it mounts tmpfs):

    cargo build --release && sudo python3 scripts/hostile.py [--seed N] [--rounds N]

It prints one line per family and a total, and exits 1 if any trial failed. Everything it
makes lives under a temporary directory that it removes.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VLU = os.path.join(ROOT, "target", "release", "vlu")
SAMPLE = os.path.join(ROOT, "sample-data", "northshire.json")
# Contact details in the sample: none may ever reach an error message.
SECRETS = []


def run(args, data, stdin=None, timeout=120):
    env = dict(os.environ, VLU_DATA_DIR=data, XDG_CONFIG_HOME=os.path.join(data, "..", "cfg"))
    env.pop("VLU_CONFIG", None)
    try:
        p = subprocess.run([VLU] + args, env=env, input=stdin, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "hung", "", ""


def clean(stderr):
    """An error a person can read: no panic, no backtrace, no escape code, no contact detail."""
    bad = ["panicked", "backtrace", "RUST_BACKTRACE", "\x1b", "\x07"]
    return not any(b in stderr for b in bad) and not any(s in stderr for s in SECRETS)


class Tally:
    def __init__(self):
        self.families = {}

    def add(self, family, ok, what=""):
        n, good, fails = self.families.get(family, (0, 0, []))
        if not ok and len(fails) < 5:
            fails.append(what)
        self.families[family] = (n + 1, good + (1 if ok else 0), fails)

    def report(self):
        total = good = 0
        for family, (n, g, fails) in self.families.items():
            print(f"{family:<34} {g:>5} of {n:>5} held")
            for f in fails:
                print(f"    failed: {f}")
            total += n
            good += g
        print(f"{'all':<34} {good:>5} of {total:>5} held")
        return good == total


def mutations(text, rng):
    """Ways a caseload file goes wrong: each returns (name, bytes)."""
    doc = json.loads(text)
    v = rng.randrange(len(doc["victims"]))
    out = []

    def put(name, d):
        out.append((name, json.dumps(d).encode()))

    d = json.loads(text); d["victims"][v]["referred_on"] = rng.choice(["2025-02-30", "2025-13-01", "1899-12-31", "2101-01-01", "yesterday", ""])
    put("impossible date", d)
    d = json.loads(text); d["victims"][v]["case_id"] = "C-NOPE-" + str(rng.randrange(999))
    put("dangling case", d)
    d = json.loads(text); d["victims"][v]["name"] = rng.choice(["Joan\x1b]52;c;cHduZWQ=\x07", "A\x00B", "\x1b[2J", "x\ry"])
    put("escape code in a name", d)
    d = json.loads(text); d["victims"][v]["id"] = rng.choice(["V-\u200b1", "V-\u202e1", "", " V-1", "V\n1"])
    put("invisible or blank id", d)
    d = json.loads(text); d["victims"][v][rng.choice(["\x1b]52;c;x\x07", "adress", "14 Cranmore Road"])] = 1
    put("unknown key", d)
    d = json.loads(text); d["victims"][v]["status"] = rng.choice(["opted-in", "OPTED_IN", 3, None])
    put("bad enumeration", d)
    d = json.loads(text); d["victims"].append(dict(d["victims"][v]))
    put("duplicate id", d)
    raw = text.encode()
    out.append(("cut short", raw[: rng.randrange(1, len(raw) - 1)]))
    i = rng.randrange(len(raw))
    out.append(("a byte flipped", raw[:i] + bytes([raw[i] ^ rng.choice([0x01, 0x20, 0x80])]) + raw[i + 1:]))
    out.append(("not UTF-8", b"\xff\xfe" + raw))
    out.append(("repeated key", raw.replace(b'"status":', b'"status": "declined", "status":', 1)))
    out.append(("empty", b""))
    return out


def bad_imports(t, rng, work, rounds):
    text = open(SAMPLE).read()
    data = os.path.join(work, "imports")
    run(["import", SAMPLE], data)
    before = run(["export"], data)[1]
    for _ in range(rounds):
        for name, body in mutations(text, rng):
            path = os.path.join(work, "bad.json")
            open(path, "wb").write(body)
            code, _, err = run(["import", path], data)
            # A bad file is exit 2 with nothing written. A byte flip can land in free text and
            # leave a valid file: then it is a duplicate of stored ids, also exit 2.
            t.add("bad import refused (exit 2)", code == 2, f"{name}: exit {code}: {err[-200:]}")
            t.add("bad import: clean message", clean(err), f"{name}: {err[-200:]!r}")
    t.add("bad imports changed nothing", run(["export"], data)[1] == before, "store changed")


def damaged_stores(t, rng, work, rounds):
    base = os.path.join(work, "pristine")
    run(["import", SAMPLE], base)
    db = os.path.join(base, "db", "db")
    size = os.path.getsize(db)
    for _ in range(rounds):
        data = os.path.join(work, "damaged")
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data)
        with open(os.path.join(data, "db", "db"), "r+b") as f:
            for _ in range(rng.choice([1, 4, 64])):
                f.seek(rng.randrange(size))
                f.write(bytes([rng.randrange(256)]))
        for cmd in (["check"], ["diary"], ["export"]):
            code, _, err = run(cmd, data)
            t.add("damaged store: no panic, no hang", code in (0, 1), f"{cmd}: exit {code}")
            t.add("damaged store: clean message", clean(err), f"{cmd}: {err[-200:]!r}")


def mount(path, megabytes):
    os.makedirs(path, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", path], check=True)


def full_disks(t, rng, work, rounds, big):
    for i in range(rounds):
        disk = os.path.join(work, f"disk{i}")
        mount(disk, rng.choice([3, 4, 5, 6, 8, 12, 16]))
        try:
            data = os.path.join(disk, "d")
            code, _, _ = run(["import", SAMPLE], data)
            if code != 0:
                t.add("full disk: sample refused cleanly", code == 1, f"exit {code}")
                continue
            before = run(["export"], data)[1]
            # A big import, and the disk filled at a random moment while it runs.
            env = dict(os.environ, VLU_DATA_DIR=data)
            p = subprocess.Popen([VLU, "import", big], env=env, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0, 1.5))
            subprocess.run(["dd", "if=/dev/zero", f"of={disk}/ballast", "bs=64k"], capture_output=True)
            try:
                _, err = p.communicate(timeout=120)
                t.add("full disk: import ends (no hang)", True)
                t.add("full disk: import message clean", clean(err.decode()), err.decode()[-200:])
            except subprocess.TimeoutExpired:
                p.kill()
                t.add("full disk: import ends (no hang)", False, "hung")
            for cmd in (["diary"], ["check"], ["export"]):
                code, _, err = run(cmd, data, timeout=60)
                t.add("full disk: opens refused or fine", code in (0, 1), f"{cmd}: exit {code}")
            os.remove(os.path.join(disk, "ballast"))
            subprocess.run(["mount", "-o", "remount,size=400m", disk], check=True)
            code, out, err = run(["check"], data, timeout=120)
            t.add("full disk: store sound after", code == 0, err[-200:])
            after = run(["export"], data)[1]
            victims = len(json.loads(after)["victims"]) if code == 0 else -1
            t.add("full disk: all or nothing", after == before or victims > 45, f"{victims} victims")
        finally:
            subprocess.run(["umount", "-l", disk])


def kill_nine(t, rng, work, rounds, big):
    data = os.path.join(work, "killed")
    run(["import", SAMPLE], data)
    for _ in range(rounds):
        env = dict(os.environ, VLU_DATA_DIR=data)
        p = subprocess.Popen([VLU, "import", "--replace", big], env=env, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, 2.0))
        p.send_signal(signal.SIGKILL)
        p.wait()
        code, out, err = run(["check"], data)
        t.add("kill -9 of import: store sound", code == 0, err[-200:])
        t.add("kill -9 of import: all or nothing", " 45 victims" in out or " 5045 victims" in out, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=10)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    sample = json.load(open(SAMPLE))
    for v in sample["victims"]:
        for d in [v.get("contact_details")] + [(v.get("representative") or {}).get("contact_details")]:
            for value in (d or {}).values():
                if value and len(value) > 6:
                    SECRETS.append(value)
    work = tempfile.mkdtemp(prefix="vlu-hostile-")
    try:
        big = os.path.join(work, "big.json")
        subprocess.run([VLU, "generate", "--victims", "5000", "--out", big], check=True)
        t = Tally()
        bad_imports(t, rng, work, a.rounds)
        damaged_stores(t, rng, work, a.rounds * 3)
        full_disks(t, rng, work, a.rounds, big)
        kill_nine(t, rng, work, a.rounds, big)
        ok = t.report()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
