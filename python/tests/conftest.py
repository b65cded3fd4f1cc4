"""Shared by the rawcap Python tests: paths, the privilege rule, the
namespace test bed, and running Python code inside a namespace.

Privileged tests skip with a printed reason when the process is not root (or
`ip` is missing), and fail instead when RAWCAP_REQUIRE_PRIVILEGED=1, as the
Rust tests do (.ci/run sets it).

Network safety: traffic only on loopback or on a veth pair whose two ends
live in namespaces created here, with addresses from 198.18.0.0/15; every
namespace is deleted on every exit path (fixture finalizers), and names carry
the pid so parallel runs never collide.
"""

import itertools
import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")
RUST_DATA = os.path.join(ROOT, "tests", "data")

_beds = itertools.count(1)

# Clock times print in local time (as tcpdump and the command line do): test
# it in a zone off UTC by a half hour, here and in every tool the tests run.
os.environ["TZ"] = "Asia/Kolkata"
time.tzset()


def require_privileges(what):
    """Skips (or, under RAWCAP_REQUIRE_PRIVILEGED=1, fails) unless root with `ip`."""
    why = None
    if os.geteuid() != 0:
        why = "needs root (CAP_NET_ADMIN for namespaces, CAP_NET_RAW for capture)"
    elif shutil.which("ip") is None:
        why = "`ip` (iproute2) is not installed"
    if why is None:
        return
    if os.environ.get("RAWCAP_REQUIRE_PRIVILEGED") == "1":
        pytest.fail(f"{what}: {why}, and RAWCAP_REQUIRE_PRIVILEGED=1 forbids skipping")
    pytest.skip(f"{what}: {why}")


def require_tool(name):
    """tcpdump and friends: .ci/run installs them; elsewhere their absence skips."""
    if shutil.which(name) is None:
        if os.environ.get("RAWCAP_REQUIRE_PRIVILEGED") == "1":
            pytest.fail(f"{name} is not installed (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")


def rawcap_cli():
    """The rawcap command line (RAWCAP_BIN, else the repository's release or
    debug build): the reference for the text and JSON the package prints."""
    if os.environ.get("RAWCAP_BIN"):
        return os.environ["RAWCAP_BIN"]
    # The newer of the two builds (a stale one prints yesterday's text).
    builds = [os.path.join(ROOT, "target", kind, "rawcap") for kind in ("release", "debug")]
    builds = [b for b in builds if os.access(b, os.X_OK)]
    if builds:
        return max(builds, key=os.path.getmtime)
    why = "no rawcap binary (cargo build, or set RAWCAP_BIN)"
    if os.environ.get("RAWCAP_REQUIRE_PRIVILEGED") == "1":
        pytest.fail(why)
    pytest.skip(why)


def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=20)


class Bed:
    """Network namespaces for one test: `a` and `b` joined by veth va/vb
    (198.18.N.1/24 and 198.18.N.2/24), or just `a` with loopback up."""

    def __init__(self, pair):
        n = next(_beds)
        pid = os.getpid()
        self.a = f"rcpy{n}-{pid}-a"
        self.b = f"rcpy{n}-{pid}-b" if pair else None
        self.addr_a = f"198.18.{n % 250}.1"
        self.addr_b = f"198.18.{n % 250}.2"
        self.created = []
        try:
            for ns in filter(None, [self.a, self.b]):
                ip("netns", "add", ns)
                self.created.append(ns)
                # No IPv6 chatter (router solicitations, MLD) in the traffic under test.
                for key in ("all", "default"):
                    subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                                    f"net.ipv6.conf.{key}.disable_ipv6=1"],
                                   check=True, capture_output=True, timeout=20)
                ip("-n", ns, "link", "set", "lo", "up")
            if pair:
                ip("-n", self.a, "link", "add", "va", "type", "veth", "peer", "name", "vb",
                   "netns", self.b)
                ip("-n", self.a, "addr", "add", f"{self.addr_a}/24", "dev", "va")
                ip("-n", self.b, "addr", "add", f"{self.addr_b}/24", "dev", "vb")
                ip("-n", self.a, "link", "set", "va", "up")
                ip("-n", self.b, "link", "set", "vb", "up")
        except BaseException:
            self.close()
            raise

    def close(self):
        for ns in reversed(self.created):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=20)
        self.created = []

    def python(self, ns, code, *args, **popen):
        """Starts `python -c code args...` inside namespace `ns` (the PID is
        the interpreter's: `ip netns exec` execs it)."""
        cmd = ["ip", "netns", "exec", ns, sys.executable, "-c", textwrap.dedent(code),
               *map(str, args)]
        popen.setdefault("stdout", subprocess.PIPE)
        popen.setdefault("stderr", subprocess.PIPE)
        popen.setdefault("text", True)
        return subprocess.Popen(cmd, **popen)


@pytest.fixture
def bed(request):
    """Two namespaces joined by a veth pair (privileged)."""
    require_privileges(request.node.name)
    b = Bed(pair=True)
    request.addfinalizer(b.close)
    return b


@pytest.fixture
def netns(request):
    """One namespace with only loopback (privileged)."""
    require_privileges(request.node.name)
    b = Bed(pair=False)
    request.addfinalizer(b.close)
    return b


def fixtures_en10mb():
    """The EN10MB entries of tests/data/libpcap-programs.txt: dicts with
    expr, linux, newer (refused as newer libpcap releases refuse it),
    optimized (ddd text or None when libpcap refused) and unoptimized (ddd
    text)."""
    with open(os.path.join(RUST_DATA, "libpcap-programs.txt")) as f:
        text = f.read()
    out = []
    for entry in text.split("\nexpr: ")[1:]:
        lines = entry.split("\n")
        if lines[1] != "link: EN10MB":
            continue
        markers = next((l for l in lines if l.startswith("markers:")), "")
        o = next(i for i, l in enumerate(lines) if l.startswith("optimized:"))
        u = lines.index("unoptimized:")
        opt = "\n".join(lines[o + 1:u]).strip()
        out.append({
            "expr": lines[0],
            "linux": "@linux" in markers,
            # libpcap 1.10.3 accepts it, newer releases (and rawcap) refuse it.
            "newer": "@newer" in markers,
            "optimized": (opt + "\n") if opt else None,
            "unoptimized": "\n".join(lines[u + 1:]).strip() + "\n",
        })
    return out
