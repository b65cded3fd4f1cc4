"""rawcap.compile and rawcap.Program against libpcap's programs (the
fixtures tcpdump 4.99.3 / libpcap 1.10.3 printed, tests/data), and the
program's own forms (len, iteration, text, bytes)."""

import os
import struct

import pytest

import rawcap
from conftest import RUST_DATA, fixtures_en10mb


def read(name):
    with open(os.path.join(RUST_DATA, name)) as f:
        return f.read()


def test_tcp_port_80_prints_as_tcpdump_d_dd_ddd():
    p = rawcap.compile("tcp port 80")
    assert str(p) == read("tcp_port_80.d.txt")
    assert p.dd() == read("tcp_port_80.dd.txt")
    assert p.ddd() == read("tcp_port_80.ddd.txt")


def test_every_opcode_prints_as_libpcaps_bpf_dump():
    p = rawcap.Program.from_ddd(read("bpf_text_all.ddd"))
    assert str(p) == read("bpf_text_all.d.txt")
    assert p.dd() == read("bpf_text_all.dd.txt")
    assert p.ddd() == read("bpf_text_all.ddd.txt")


def test_unoptimized_programs_equal_tcpdump_ddd_on_every_en10mb_fixture():
    """`tcpdump -O -ddd EXPR` instruction for instruction (the userspace
    target: libpcap's own program, protochain's loop included)."""
    fixtures = fixtures_en10mb()
    assert len(fixtures) >= 400
    differ = []
    for f in fixtures:
        if f["newer"]:
            with pytest.raises(rawcap.FilterError):
                rawcap.compile(f["expr"], optimize=False, target="userspace", netmask=0,
                               linux_ext=f["linux"], resolve=False)
            continue
        p = rawcap.compile(f["expr"], optimize=False, target="userspace", netmask=0,
                           linux_ext=f["linux"], resolve=False)
        if p.ddd() != f["unoptimized"]:
            differ.append(f["expr"])
    assert differ == []


def test_optimized_programs_against_tcpdump_ddd():
    """Optimized, rawcap's program need not be libpcap's instruction for
    instruction (DESIGN.md); it must be no longer, and it is identical for
    most fixtures. Verdicts are compared on the corpus in test_matches.py."""
    same = longer = refused_both = 0
    fixtures = fixtures_en10mb()
    for f in fixtures:
        if f["optimized"] is None or f["newer"]:
            # libpcap's optimizer refused it ("expression rejects all
            # packets"), or newer libpcap releases refuse it.
            with pytest.raises(rawcap.FilterError):
                rawcap.compile(f["expr"], netmask=0, linux_ext=f["linux"], resolve=False)
            refused_both += 1
            continue
        ours = rawcap.compile(f["expr"], target="userspace", netmask=0, linux_ext=f["linux"],
                              resolve=False)
        theirs = rawcap.Program.from_ddd(f["optimized"])
        same += ours == theirs
        longer += len(ours) > len(theirs)
    print(f"optimized: {same} of {len(fixtures)} identical to tcpdump -ddd, "
          f"{refused_both} refused by both, {longer} longer")
    assert same >= len(fixtures) * 0.9
    assert longer == 0


def test_program_forms_round_trip():
    p = rawcap.compile("udp and host 198.18.0.1", snaplen=96)
    insns = list(p)
    assert len(insns) == len(p) and all(len(i) == 4 for i in insns)
    assert insns[-1] == (0x06, 0, 0, 0) and (0x06, 0, 0, 96) in insns
    assert p[0] == insns[0] and p[-1] == insns[-1]
    with pytest.raises(IndexError):
        p[len(p)]
    assert rawcap.Program(insns) == p
    assert rawcap.Program.from_ddd(p.ddd()) == p
    assert hash(rawcap.Program(insns)) == hash(p)
    raw = bytes(p)
    assert len(raw) == 8 * len(p)
    assert [struct.unpack("=HBBI", raw[i:i + 8]) for i in range(0, len(raw), 8)] == insns
    assert p.linktype == "EN10MB"
    assert "EN10MB" in repr(p)
    p.validate()


def test_options_change_the_program():
    assert rawcap.compile("ip", linktype="RAW") != rawcap.compile("ip")
    assert rawcap.compile("ip", linktype=101) == rawcap.compile("ip", linktype="RAW")
    assert rawcap.compile("ip", linktype="LINUX_SLL").linktype == "LINUX_SLL"
    assert len(rawcap.compile("tcp port 80", optimize=False)) > len(rawcap.compile("tcp port 80"))
    assert rawcap.compile("ip broadcast", netmask="255.255.255.0") == rawcap.compile(
        "ip broadcast", netmask=0xFFFFFF00)
    assert rawcap.compile("inbound", linux_ext=True)
    assert rawcap.compile("host localhost")  # the system resolver, as tcpdump's


def test_help_is_useful():
    assert "tcpdump" in rawcap.__doc__
    assert "FilterError" in rawcap.compile.__doc__
    assert rawcap.compile.__text_signature__.startswith("(expr, linktype='EN10MB'")
    for name in rawcap.__all__:
        obj = getattr(rawcap, name)
        if callable(obj) and not isinstance(obj, type(rawcap.SNAPLEN)):
            assert obj.__doc__, name


def test_type_hints_cover_the_public_api():
    import ast
    stub = os.path.join(os.path.dirname(rawcap.__file__), "_rawcap.pyi")
    with open(stub) as f:
        tree = ast.parse(f.read())
    hinted = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    hinted |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    assert set(rawcap.__all__) <= hinted
    for cls in (rawcap.Program, rawcap.Packet, rawcap.Capture, rawcap.Reader, rawcap.Writer):
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
        methods = {m.name for m in node.body if isinstance(m, ast.FunctionDef)}
        public = {m for m in dir(cls) if not m.startswith("_")}
        assert public <= methods, (cls.__name__, public - methods)
