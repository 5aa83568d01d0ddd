#!/usr/bin/env python3
"""A hostile run against a shared unit's service, over its raw protocol, as real OS accounts.

The unit: a data directory owned by the store's account (vlu-own) and shared with the group
vlu-unit as 2750; a VLO, a manager and an administrator mapped to the sample's officers; a
group member nobody mapped (vlu-eve) and an account outside the group (vlu-out). The service
runs as the store's account. Each trial says what must hold and counts whether it did:

    cargo build && sudo python3 scripts/hostile_unit.py [--seed N] [--binary PATH]

It prints one line per family and a total, and exits 1 if any trial failed. It makes the
accounts if they are missing (as the tests do) and removes everything else it made.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

from hostile import Tally  # the same tally of trials as the store's hostile run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "sample-data", "northshire.json")
PROTOCOL = 5
OWNER, VLO, MANAGER, ADMIN, MEMBER, OUTSIDER, GROUP = (
    "vlu-own", "vlu-vlo", "vlu-mgr", "vlu-adm", "vlu-eve", "vlu-out", "vlu-unit")
RANK = {"unmapped": 0, "vlo": 1, "manager": 2, "admin": 3}
ROLE = {MEMBER: "unmapped", OUTSIDER: "unmapped", VLO: "vlo", MANAGER: "manager",
        ADMIN: "admin", OWNER: "admin"}


def ids(name):
    import pwd
    p = pwd.getpwnam(name)
    return p.pw_uid, p.pw_gid


def frame(message, tail=b""):
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body + struct.pack(">I", len(tail)) + tail


def read_frames(sock):
    """Every frame the service sends until it closes: [(message, tail)]."""
    data = b""
    sock.settimeout(20)
    while True:
        try:
            chunk = sock.recv(1 << 20)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    frames = []
    while len(data) >= 4:
        (n,) = struct.unpack(">I", data[:4])
        if len(data) < 8 + n:
            break
        message = json.loads(data[4:4 + n])
        (t,) = struct.unpack(">I", data[4 + n:8 + n])
        frames.append((message, data[8 + n:8 + n + t]))
        data = data[8 + n + t:]
    return frames


def as_user(user, work):
    """work() in a child process that has become `user` (and their group alone); its result
    comes back through a pipe as JSON."""
    uid, gid = ids(user)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            os.setgroups([gid])
            os.setgid(gid)
            os.setuid(uid)
            result = work()
        except Exception as e:  # noqa: BLE001 - the parent judges
            result = {"error": repr(e)}
        os.write(w, json.dumps(result).encode())
        os._exit(0)
    os.close(w)
    out = b""
    while True:
        b = os.read(r, 1 << 16)
        if not b:
            break
        out += b
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(out or b"null")


def exchange(path, payload):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    try:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    return [m for m, _ in read_frames(s)]


class Unit:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.data = os.path.join(work, "unit")
        self.sock = os.path.join(self.data, "vlu.sock")
        self.config = os.path.join(work, "unit.toml")
        with open(self.config, "w") as f:
            f.write(f'[officers]\n"{VLO}" = "sahmed"\n"{MANAGER}" = "pdevi"\n'
                    f'"{ADMIN}" = "tgreen"\n"{OWNER}" = "tgreen"\n')
        os.chmod(self.config, 0o644)
        env = self.env()
        subprocess.run([binary, "import", SAMPLE], env=env, check=True, capture_output=True)
        self.stop_any()
        subprocess.run(["chown", "-R", f"{OWNER}:{GROUP}", self.data], check=True)
        os.chmod(self.data, 0o2750)
        self.service = None
        self.start()

    def env(self):
        return dict(os.environ, VLU_DATA_DIR=self.data, VLU_CONFIG=self.config,
                    HOME=self.work, VLU_IDLE_SECONDS="0")

    def stop_any(self):
        subprocess.run([self.binary, "serve", "--stop"], env=self.env(), capture_output=True)
        for _ in range(200):
            if not os.path.exists(self.sock):
                return
            time.sleep(0.05)

    def start(self):
        self.service = subprocess.Popen(
            ["setpriv", f"--reuid={OWNER}", f"--regid={GROUP}", "--clear-groups",
             self.binary, "serve", "--idle", "0"], env=self.env(),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            if os.path.exists(self.sock):
                try:
                    socket.socket(socket.AF_UNIX).connect(self.sock)
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("the service did not start")

    def kill9(self):
        self.service.send_signal(signal.SIGKILL)
        self.service.wait()

    def close(self):
        if self.service and self.service.poll() is None:
            self.service.terminate()
            self.service.wait()

    def ask(self, user, *requests, tail=b""):
        payload = frame({"Hello": {"protocol": PROTOCOL, "version": "hostile"}})
        for r in requests:
            payload += frame(r, tail)
        return as_user(user, lambda: exchange(self.sock, payload))

    def alive(self):
        replies = self.ask(VLO, {"Status": status_query()})
        return any(isinstance(r, dict) and "Counts" in r for r in replies or [])

    def threads(self):
        # The service is setpriv's child after exec: the same pid.
        with open(f"/proc/{self.service.pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
        return 0


def status_query():
    return {"date": "2026-12-01", "days": 14, "officer": None, "lead": {},
            "calendar": {"non_working": [], "working": []}}


def note(summary, by="sahmed"):
    return {"on": "2026-11-24", "kind": "note", "method": "none", "direction": "internal",
            "summary": summary, "by": by}


def every_kind(sample):
    v = sample["victims"][0]
    moved = dict(v, allocated_to="jokafor" if v.get("allocated_to") != "jokafor" else "lmcbride")
    case = next(c for c in sample["cases"] if c["id"] == v["case_id"])
    transferred = dict(case, transferred={"on": "2026-12-01", "to_area": "Southshire"})
    q = status_query()
    return [
        ("LoadDigest", "vlo"), ("Snoozes", "vlo"),
        ({"Stamp": ["Victim", v["id"]]}, "vlo"),
        ({"Diary": {"query": q, "format": "json", "colour": False}}, "vlo"),
        ({"Status": q}, "vlo"),
        ({"Victim": v["id"]}, "vlo"), ({"Case": case["id"]}, "vlo"),
        ({"SaveVictim": {"victim": v, "base": 0}}, "vlo"),
        ({"SaveVictim": {"victim": moved, "base": 0}}, "manager"),
        ({"SaveVictimWithContact": {"victim": moved, "contact": note("x"), "base": 0}}, "manager"),
        ({"SaveCase": {"case": case, "base": 0}}, "vlo"),
        ({"SaveCase": {"case": transferred, "base": 0}}, "manager"),
        ({"Reveal": v["id"]}, "vlo"), ({"Consult": v["id"]}, "vlo"),
        ({"Disclose": {"what": "diary spreadsheet", "victims": [v["id"]], "everyone": False}}, "vlo"),
        ({"Reallocate": {"moving": {"Victim": "V-9999"}, "to": ["jokafor"]}}, "manager"),
        ({"ExportCase": {"case": case["id"], "transfer_to": None}}, "manager"),
        ({"Report": {"query": {"from": "2026-01-01", "to": "2026-03-31", "officer": None,
                               "made_on": "2026-12-01", "weeks": 0},
                     "lead": {}, "calendar": {"non_working": [], "working": []}}}, "manager"),
        ("KnownIds", "admin"), ("Export", "admin"), ("Check", "admin"), ("Backup", "admin"),
        ({"Erase": {"target": {"kind": "victim", "id": "V-9999"}, "reason": "error"}}, "admin"),
        ({"Audit": {"victim": None, "user": None, "since": None}}, "admin"),
        ({"SubjectAccess": v["id"]}, "admin"),
    ]


def forbidden(reply):
    return isinstance(reply, dict) and " may not " in str(reply.get("Refused", ""))


def roles_family(t, unit, sample):
    for user in [MEMBER, OUTSIDER, VLO, MANAGER, ADMIN, OWNER]:
        for request, least in every_kind(sample):
            replies = unit.ask(user, request)
            if ROLE[user] == "unmapped":
                # Refused at the door, or (outside the group) kept out by the directory.
                kept_out = isinstance(replies, dict) and "PermissionError" in replies["error"]
                ok = kept_out or (isinstance(replies, list) and len(replies) == 1
                                  and "Refused" in replies[0])
                t.add("who may do what (raw protocol)", ok, f"{user}: {request} -> {replies}")
                continue
            reply = next((r for r in replies[1:] if r not in ("Chunk",) and not
                          (isinstance(r, dict) and "Present" in r)), None)
            want = RANK[ROLE[user]] >= RANK[least]
            t.add("who may do what (raw protocol)", reply is not None and
                  (not forbidden(reply)) == want, f"{user}: {str(request)[:60]} -> {str(reply)[:90]}")
    # Imports: an administrator's file is read; a VLO's is refused before it is read.
    replies = unit.ask(VLO, {"Import": {"replace": True}}, tail=b" " * (2 << 20))
    t.add("who may do what (raw protocol)", forbidden(replies[1]), str(replies)[:100])


def names_family(t, unit, sample):
    v = sample["victims"][0]["id"]
    marker = f"hostile {random.random()}"
    replies = unit.ask(VLO, {"AppendContact": {"victim": v, "contact": note(marker, by="pdevi")}})
    t.add("the person from the connection", any("Changed" in r for r in replies if isinstance(r, dict)))
    replies = unit.ask(ADMIN, {"Victim": v})
    got = next(r["Victim"] for r in replies if isinstance(r, dict) and "Victim" in r)
    last = [c for c in got["contacts"] if c.get("summary") == marker]
    t.add("the person from the connection", len(last) == 1 and last[0].get("by") == "sahmed",
          f"logged as {last}")
    for what in ["subject access: nothing held", "export", "letter annual_letter to the offender",
                 "diary spreadsheet\u001b[2J", "", "x" * 10000]:
        replies = unit.ask(VLO, {"Disclose": {"what": what, "victims": [v], "everyone": False}})
        t.add("the person from the connection",
              isinstance(replies[1], dict) and "Refused" in replies[1], what[:40])
    replies = unit.ask(VLO, {"Disclose": {"what": "diary spreadsheet", "victims": [],
                                          "everyone": True}})
    t.add("the person from the connection", "Refused" in replies[1], "everyone")


def frames_family(t, unit, rng):
    hello = frame({"Hello": {"protocol": PROTOCOL, "version": "hostile"}})
    cases = []
    for _ in range(300):
        kind = rng.randrange(7)
        if kind == 0:
            cases.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))))
        elif kind == 1:
            n = rng.choice([1 << 30, (1 << 32) - 1, 17 << 20, 1 << 24 + 1])
            cases.append(hello + struct.pack(">I", n))
        elif kind == 2:
            body = b"{" * rng.randrange(1, 4000)
            cases.append(hello + struct.pack(">I", len(body)) + body + struct.pack(">I", 0))
        elif kind == 3:
            cases.append(hello + frame({"NoSuchRequest": 1}))
        elif kind == 4:
            cases.append(frame({"Hello": {"protocol": 1, "version": "0"}}))
        elif kind == 5:
            cases.append(hello + frame("LoadDigest", b"x" * rng.randrange(1, 1 << 16)))
        else:
            good = frame({"Status": status_query()})
            cases.append(hello + good[: rng.randrange(1, len(good))])
    for payload in cases:
        replies = as_user(VLO, lambda p=payload: exchange(unit.sock, p))
        bad = [r for r in replies or [] if isinstance(r, dict) and
               ("Changed" in r or "Counts" in r)]
        t.add("malformed and oversized frames", not bad, repr(payload[:40]))
    t.add("malformed and oversized frames", unit.alive(), "service answers afterwards")
    rss = 0
    with open(f"/proc/{unit.service.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    t.add("malformed and oversized frames", rss < 200 * 1024, f"RSS {rss} KiB")


def socket_family(t, unit):
    def attempts():
        results = []
        for act in [lambda: os.unlink(unit.sock),
                    lambda: os.rename(unit.sock, unit.sock + ".x"),
                    lambda: socket.socket(socket.AF_UNIX).bind(os.path.join(unit.data, "x.sock")),
                    lambda: open(os.path.join(unit.data, "serve.lock"), "w"),
                    lambda: os.mkdir(os.path.join(unit.data, "backups2")),
                    lambda: os.rename(os.path.join(unit.data, "db"), os.path.join(unit.data, "d"))]:
            try:
                act()
                results.append(False)
            except OSError:
                results.append(True)
        return results
    for user in [MEMBER, VLO, MANAGER, ADMIN, OUTSIDER]:
        for i, ok in enumerate(as_user(user, attempts)):
            t.add("the socket and the directory", ok, f"{user} attempt {i}")


def flood_family(t, unit):
    def flood():
        refused = 0
        for _ in range(3000):
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(unit.sock)
                frames = read_frames(s)
                refused += 1 if frames and "Refused" in frames[0][0] else 0
            except OSError:
                pass
            s.close()
        return refused
    start = time.time()
    refused = as_user(MEMBER, flood)
    t.add("floods and slow readers", refused == 3000, f"{refused} refused")
    t.add("floods and slow readers", unit.threads() < 40, f"{unit.threads()} threads")
    t.add("floods and slow readers", unit.alive(), "answers after the flood")

    def hold():
        held = []
        for _ in range(40):
            s = socket.socket(socket.AF_UNIX)
            s.connect(unit.sock)
            held.append(s)
            time.sleep(0.01)
        s = held[-1]
        s.settimeout(5)
        head = s.recv(4096)
        return head[8:60].decode("utf-8", "replace")
    said = as_user(VLO, hold)
    t.add("floods and slow readers", "connections" in said, said)
    # A slow reader of an export holds up no one.
    def slow():
        s = socket.socket(socket.AF_UNIX)
        s.connect(unit.sock)
        s.sendall(frame({"Hello": {"protocol": PROTOCOL, "version": "x"}}) + frame("Export"))
        time.sleep(6)
        return True
    pid = os.fork()
    if pid == 0:
        as_user(ADMIN, slow)
        os._exit(0)
    time.sleep(1)
    for user in [VLO, MANAGER, ADMIN]:
        start = time.time()
        ok = unit.alive() if user == VLO else bool(unit.ask(user, {"Status": status_query()}))
        t.add("floods and slow readers", ok and time.time() - start < 3, f"{user} waited")
    os.waitpid(pid, 0)
    _ = start


def kill_family(t, unit, sample, rounds, rng):
    victims = [v["id"] for v in sample["victims"]]
    acknowledged = []
    for r in range(rounds):
        def writes(r=r):
            done = []
            for i in range(1000):
                marker = f"kill {r} {i}"
                v = victims[(r * 7 + i) % len(victims)]
                try:
                    replies = exchange(unit.sock, frame({"Hello": {"protocol": PROTOCOL,
                                                                   "version": "x"}})
                                       + frame({"AppendContact": {"victim": v,
                                                                  "contact": note(marker)}}))
                except OSError:
                    break
                if any(isinstance(x, dict) and "Changed" in x for x in replies):
                    done.append([v, marker])
            return done
        pid_writer = os.fork()
        if pid_writer == 0:
            acked = as_user(VLO, writes)
            with open(os.path.join(unit.work, f"acked{r}"), "w") as f:
                json.dump(acked, f)
            os._exit(0)
        time.sleep(rng.uniform(0.05, 0.6))
        unit.kill9()
        os.waitpid(pid_writer, 0)
        with open(os.path.join(unit.work, f"acked{r}")) as f:
            acknowledged += json.load(f)
        unit.start()
    found = {}
    for v in set(v for v, _ in acknowledged):
        replies = unit.ask(ADMIN, {"Victim": v})
        rec = next(x["Victim"] for x in replies if isinstance(x, dict) and "Victim" in x)
        found[v] = {c.get("summary") for c in rec["contacts"]}
    for v, marker in acknowledged:
        t.add("acknowledged writes under kill -9", marker in found[v], marker)
    print(f"(kill -9: {rounds} kills, {len(acknowledged)} acknowledged writes)")


def accounts():
    subprocess.run(["groupadd", "-f", GROUP], capture_output=True)
    for user in [OWNER, VLO, MANAGER, ADMIN, MEMBER]:
        subprocess.run(["useradd", "-M", "-N", "-g", GROUP, user], capture_output=True)
    subprocess.run(["useradd", "-M", OUTSIDER], capture_output=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "debug", "vlu"))
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: it makes OS accounts and becomes them")
    rng = random.Random(args.seed)
    random.seed(args.seed)
    accounts()
    with open(SAMPLE) as f:
        sample = json.load(f)
    work = tempfile.mkdtemp(prefix="vlu-hostile-")
    os.chmod(work, 0o755)
    t = Tally()
    unit = Unit(args.binary, work)
    try:
        roles_family(t, unit, sample)
        names_family(t, unit, sample)
        frames_family(t, unit, rng)
        socket_family(t, unit)
        flood_family(t, unit)
        kill_family(t, unit, sample, args.rounds, rng)
    finally:
        unit.close()
        shutil.rmtree(work, ignore_errors=True)
    raise SystemExit(0 if t.report() else 1)


if __name__ == "__main__":
    main()
