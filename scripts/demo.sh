#!/usr/bin/env bash
# rawcap demo: capture a real TCP exchange between two network namespaces.
#
#   scripts/demo.sh [--loopback] [--out DIR] [--no-build]
#
# As root (or with the capabilities the README shows) it:
#   1. builds the release binary if needed (cargo build --release);
#   2. creates two network namespaces joined by a veth pair, both ends created
#      inside the namespaces (198.18.0.1/24 client, 198.18.0.2/24 server);
#   3. starts `rawcap serve 198.18.0.2:80 --http` and
#      `rawcap serve 198.18.0.2:12345 --echo` in the server namespace;
#   4. starts `rawcap -i VETH -w demo.pcap 'tcp port 80'` in the client
#      namespace, plus a second capture printing the same packets as text;
#   5. runs `rawcap client 198.18.0.2:80 --http /` and
#      `rawcap client 198.18.0.2:12345 'Hello, server!'` there;
#   6. stops both captures with SIGINT;
#   7. shows the captured lines, the kernel statistics and the packets re-read
#      from demo.pcap, and checks them: only port-80 TCP, the handshake, the
#      request and the response (by length, and by their HTTP lines when the
#      decoder prints them), nothing from port 12345, live == re-read.
#
# Exit status: 0 when every check passed, 1 when a check failed, 2 when the
# demo could not run (build, setup, permissions). Everything it created
# (namespaces and their veth pair, its own processes) is removed on every
# exit path; the output directory (demo.pcap and logs) is kept and printed.
# Without namespace support (not root, no `ip`) it falls back to loopback:
# the same exchange on 127.0.0.1 with free ports, captured on `lo`.
set -euo pipefail

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; }

MODE=netns
OUT=
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --loopback) MODE=loopback ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STEP=0
STEPS=7
banner() { STEP=$((STEP + 1)); printf '\n==> [%d/%d] %s\n' "$STEP" "$STEPS" "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\nDEMO ERROR: %s\n' "$*" >&2; exit 2; }

# ------------------------------------------------------------ cleanup
OWN_PIDS=()         # processes this script started (and only those are signalled)
declare -A STARTED  # pid -> its start time, so a reused PID is never mistaken for ours
OWN_NS=()
NS_PREFIX=rawcap-demo-$$-
cleanup() {
  local rc=$? pid i ns left
  set +e
  trap - EXIT INT TERM
  for pid in "${OWN_PIDS[@]}"; do
    is_ours "$pid" && kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${OWN_PIDS[@]}"; do
    for i in $(seq 50); do is_ours "$pid" || break; sleep 0.05; done
    if is_ours "$pid"; then
      kill -KILL "$pid" 2>/dev/null
      sleep 0.1
      if is_ours "$pid"; then
        echo "cleanup: process $pid survived SIGKILL" >&2
        rc=2
      fi
    fi
  done
  for ns in "${OWN_NS[@]}"; do
    # Deleting a namespace destroys the veth end inside it, and with it the pair.
    ip netns del "$ns" 2>/dev/null
  done
  if [ "${#OWN_NS[@]}" -gt 0 ]; then
    left=$(ip netns list 2>/dev/null | grep -F -e "$NS_PREFIX")
    if [ -n "$left" ]; then
      echo "cleanup: namespaces left behind: $left" >&2
      rc=2
    fi
  fi
  [ -z "$OUT" ] || printf '\nOutput kept in %s\n' "$OUT"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# proc_start PID: the process's start time (field 22 of /proc/PID/stat), empty if gone or a zombie.
proc_start() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  s=${s##*) } # after the command name, which may hold spaces
  # shellcheck disable=SC2086
  set -- $s
  [ "$1" = Z ] || echo "${20}"
}
# is_ours PID: PID is still the process we started.
is_ours() { [ -n "${STARTED[$1]:-}" ] && [ "$(proc_start "$1")" = "${STARTED[$1]}" ]; }

# start_bg NAME CMD...: runs CMD in the background, stdout to $OUT/NAME.out and
# stderr to $OUT/NAME.err; its PID (the command itself, not a subshell) in LAST_PID.
LAST_PID=
start_bg() {
  local name=$1
  shift
  "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
  LAST_PID=$!
  OWN_PIDS+=("$LAST_PID")
  STARTED[$LAST_PID]=$(proc_start "$LAST_PID")
}

# wait_for FILE REGEX SECONDS PID: until FILE has a line matching REGEX.
wait_for() {
  local file=$1 re=$2 secs=$3 pid=$4 i
  for i in $(seq $((secs * 20))); do
    grep -Eq -- "$re" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# wait_exit PID SECONDS: until PID has exited; returns its status, 124 on timeout.
wait_exit() {
  local pid=$1 secs=$2 i
  for i in $(seq $((secs * 20))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; return $?; }
    sleep 0.05
  done
  return 124
}

# Prefixes that run a command in the client / server namespace (empty on
# loopback). `ip netns exec` execs the command, so a background PID is rawcap's.
IN_CLIENT=()
IN_SERVER=()

# ------------------------------------------------------------ 1. build
banner "Building the release binary"
if [ -n "${RAWCAP:-}" ]; then
  BIN=$RAWCAP
  note "using RAWCAP=$BIN"
elif [ "$BUILD" = 1 ] && command -v cargo >/dev/null 2>&1; then
  note "cargo build --release (a no-op when it is up to date)"
  (cd "$ROOT" && cargo build --release --bin rawcap) || die "cargo build --release failed"
  BIN=$ROOT/target/release/rawcap
else
  BIN=$ROOT/target/release/rawcap
  note "not building; using $BIN"
fi
[ -x "$BIN" ] || die "no rawcap binary at $BIN (install Rust: https://rustup.rs, then rerun)"
note "$("$BIN" --version)"

if [ -z "$OUT" ]; then
  OUT=$(mktemp -d "${TMPDIR:-/tmp}/rawcap-demo.XXXXXX")
else
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  rm -f "$OUT"/*.out "$OUT"/*.err "$OUT/demo.pcap"
fi
chmod 755 "$OUT"
PCAP=$OUT/demo.pcap

# ------------------------------------------------------------ 2. network
NSC=${NS_PREFIX}client
NSS=${NS_PREFIX}server
VC=rcd$$c # interface names: at most 15 characters
VS=rcd$$s
if [ "$MODE" = netns ]; then
  banner "Creating namespaces $NSC and $NSS joined by veth $VC <-> $VS"
  if ! command -v ip >/dev/null 2>&1; then
    note "no 'ip' command (iproute2): falling back to loopback"
    MODE=loopback
  elif ! ip netns add "$NSC" 2>"$OUT/netns.err"; then
    note "cannot create a network namespace ($(head -n1 "$OUT/netns.err")): falling back to loopback"
    MODE=loopback
  else
    OWN_NS+=("$NSC")
    ip netns add "$NSS" || die "ip netns add $NSS failed"
    OWN_NS+=("$NSS")
    # Both ends are created directly inside the namespaces: nothing ever
    # appears in (or can leak to) the root namespace.
    ip link add "$VC" netns "$NSC" type veth peer name "$VS" netns "$NSS" \
      || die "cannot create the veth pair"
    ip -n "$NSC" addr add 198.18.0.1/24 dev "$VC"
    ip -n "$NSS" addr add 198.18.0.2/24 dev "$VS"
    for ns in "$NSC" "$NSS"; do ip -n "$ns" link set lo up; done
    ip -n "$NSC" link set "$VC" up
    ip -n "$NSS" link set "$VS" up
    IN_CLIENT=(ip netns exec "$NSC")
    IN_SERVER=(ip netns exec "$NSS")
    note "client $NSC: $VC 198.18.0.1/24"
    note "server $NSS: $VS 198.18.0.2/24"
  fi
fi
if [ "$MODE" = loopback ]; then
  [ "$STEP" -ge 2 ] || banner "Loopback mode (no namespaces)"
  note "client and server on 127.0.0.1, capture on lo"
  SRV=127.0.0.1
  IFACE=lo
  WHERE_C=
  WHERE_S=
  SRV_ADDRS=(127.0.0.1:80 127.0.0.1:12345)
else
  SRV=198.18.0.2
  IFACE=$VC
  WHERE_C=" in $NSC"
  WHERE_S=" in $NSS"
  SRV_ADDRS=(198.18.0.2:80 198.18.0.2:12345)
fi

# ------------------------------------------------------------ 3. servers
banner "Starting the servers$WHERE_S"
# start_server NAME LISTEN MODE: sets SERVER_PID, or fails if it does not come up.
# Bounded: it exits after its one connection, or after 60 s regardless.
start_server() {
  start_bg "$1" "${IN_SERVER[@]}" "$BIN" serve "$2" "--$3" --count 1 --timeout 60
  SERVER_PID=$LAST_PID
  wait_for "$OUT/$1.out" '^Listening on ' 10 "$SERVER_PID"
}
SERVERS=()
for spec in serve-http:"${SRV_ADDRS[0]}":http serve-echo:"${SRV_ADDRS[1]}":echo; do
  IFS=: read -r name host port mode <<<"$spec"
  if ! start_server "$name" "$host:$port" "$mode"; then
    # On loopback the port may be taken by a real service: take a free one.
    [ "$MODE" = loopback ] || die "$name did not start: $(cat "$OUT/$name.err")"
    note "$name: cannot use $host:$port ($(head -n1 "$OUT/$name.err")); using a free port"
    start_server "$name" "$host:0" "$mode" || die "$name did not start: $(cat "$OUT/$name.err")"
  fi
  SERVERS+=("$name:$SERVER_PID")
  note "$name (pid $SERVER_PID): $(head -n1 "$OUT/$name.out")"
done
port_of() { sed -n '1s/^Listening on .*:\([0-9]*\) .*/\1/p' "$OUT/$1.out"; }
HTTP_PORT=$(port_of serve-http)
ECHO_PORT=$(port_of serve-echo)
FILTER="tcp port $HTTP_PORT"

# ------------------------------------------------------------ 4. capture
banner "Starting the capture on $IFACE$WHERE_C: rawcap -i $IFACE -w demo.pcap '$FILTER'"
# The classic BPF program the kernel will run on every frame (as tcpdump -d prints it).
if "$BIN" -d "$FILTER" >"$OUT/filter.d" 2>&1; then
  note "the kernel filter for '$FILTER' (rawcap -d), $(grep -c . "$OUT/filter.d") instructions:"
  sed 's/^/      /' "$OUT/filter.d"
else
  note "(rawcap -d '$FILTER' failed: $(head -n1 "$OUT/filter.d"))"
fi
start_bg capture-pcap "${IN_CLIENT[@]}" "$BIN" -i "$IFACE" -U -w "$PCAP" "$FILTER"
PCAP_PID=$LAST_PID
note "writer (pid $PCAP_PID): rawcap -i $IFACE -U -w $PCAP '$FILTER'"
# A second capture prints the same packets as text, live, to compare with the re-read.
start_bg capture-text "${IN_CLIENT[@]}" "$BIN" -i "$IFACE" -n -l "$FILTER"
TEXT_PID=$LAST_PID
note "printer (pid $TEXT_PID): rawcap -i $IFACE -n -l '$FILTER'"
for c in capture-pcap:$PCAP_PID capture-text:$TEXT_PID; do
  # tcpdump prints "listening on IFACE, ..." once the socket is ready.
  if ! wait_for "$OUT/${c%%:*}.err" '(^|: )listening on ' 10 "${c##*:}"; then
    kill -0 "${c##*:}" 2>/dev/null \
      || die "${c%%:*} failed: $(cat "$OUT/${c%%:*}.err")"
    note "${c%%:*}: no 'listening on' line after 10 s; going on"
  fi
done
LISTENING=$(grep -E -m1 '(^|: )listening on ' "$OUT/capture-pcap.err" || true)
[ -z "$LISTENING" ] || note "$LISTENING"

# ------------------------------------------------------------ 5. clients
banner "Client exchange$WHERE_C"
client() {
  local name=$1; shift
  printf '    $ rawcap client'
  local a
  for a in "$@"; do
    case "$a" in *[[:space:]]*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac
  done
  printf '\n'
  if ! "${IN_CLIENT[@]}" "$BIN" client "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
    sed 's/^/    /' "$OUT/$name.err" >&2
    die "rawcap client $* failed"
  fi
  sed 's/^/      /' "$OUT/$name.out" "$OUT/$name.err"
}
client client-http "$SRV:$HTTP_PORT" --http /
client client-echo "$SRV:$ECHO_PORT" 'Hello, server!'
for s in "${SERVERS[@]}"; do
  wait_exit "${s##*:}" 10 || die "${s%%:*} did not stop after its --count 1 connection (status $?)"
  tail -n +2 "$OUT/${s%%:*}.out" | sed "s/^/    ${s%%:*}: /"
done

# ------------------------------------------------------------ 6. stop capture
banner "Stopping the captures with SIGINT (pids $PCAP_PID $TEXT_PID)"
# Let the last ACK reach the reader: a capture may hold packets in a ring block
# until the block times out (tcpdump and libpcap: up to 1 s).
sleep 1.5
for pid in "$PCAP_PID" "$TEXT_PID"; do kill -INT "$pid" 2>/dev/null || true; done
for c in capture-pcap:$PCAP_PID capture-text:$TEXT_PID; do
  st=0
  wait_exit "${c##*:}" 10 || st=$?
  [ "$st" -ne 124 ] || die "${c%%:*} ignored SIGINT for 10 s"
  [ "$st" -eq 0 ] || die "${c%%:*} exited with status $st: $(cat "$OUT/${c%%:*}.err")"
done

# ------------------------------------------------------------ 7. results
banner "Results"
printf "\n--- captured lines (live, rawcap -i %s -n -l '%s')\n" "$IFACE" "$FILTER"
cat "$OUT/capture-text.out"
printf '\n--- kernel statistics (rawcap -w demo.pcap, on SIGINT)\n'
grep -E 'packets? ' "$OUT/capture-pcap.err" || true
printf '\n--- re-read from demo.pcap (rawcap -n -r %s)\n' "$PCAP"
"$BIN" -n -r "$PCAP" >"$OUT/reread.out" 2>"$OUT/reread.err" \
  || die "rawcap -r demo.pcap failed: $(cat "$OUT/reread.err")"
cat "$OUT/reread.out"

# ------------------------------------------------------------ checks
printf '\n==> Checks\n'
FAILED=0
# check DESCRIPTION COMMAND...: COMMAND's status decides; its output is shown only on failure.
check() {
  local what=$1
  shift
  if "$@" >"$OUT/check.log" 2>&1; then
    printf '    ok    %s\n' "$what"
  else
    printf '    FAIL  %s\n' "$what"
    head -n 8 "$OUT/check.log" | sed 's/^/          /'
    FAILED=1
  fi
}
LIVE=$OUT/capture-text.out
REREAD=$OUT/reread.out
nlines() { grep -c . "$1" || true; }
N=$(nlines "$REREAD")
# tcpdump prints the port after the address with a dot: 198.18.0.2.80
S="${SRV//./\\.}\\.$HTTP_PORT"
port80_tcp() { grep -Eq -- "($S > |> $S:).*(Flags \\[|tcp)" <<<"$1"; }
all_port80() {
  local f=$1 line
  [ "$(nlines "$f")" -gt 0 ] || return 1
  while IFS= read -r line; do
    [ -z "$line" ] || port80_tcp "$line" || { note "not port-$HTTP_PORT TCP: $line"; return 1; }
  done <"$f"
}
sent_by() { sed -n 's/.* sent \([0-9]*\) bytes, received \([0-9]*\) bytes.*/\1 \2/p' "$OUT/$1.err"; }
read -r REQ_LEN RESP_LEN <<<"$(sent_by client-http)"

check "demo.pcap holds $N packets, the live capture printed $(nlines "$LIVE")" \
  test "$N" -gt 0 -a "$N" -eq "$(nlines "$LIVE")"
check "every packet is TCP port $HTTP_PORT" all_port80 "$REREAD"
check "the handshake is there (SYN and SYN-ACK)" \
  bash -c 'grep -q "Flags \[S\]" "$1" && grep -q "Flags \[S\.\]" "$1"' _ "$REREAD"
check "the connection closed (FIN)" grep -Eq 'Flags \[F' "$REREAD"
# has_segment DIRECTION-REGEX LENGTH: a line with that direction and payload length.
has_segment() { [ -n "$2" ] && grep -Eq -- "$1.*length $2([^0-9]|\$)" "$REREAD"; }
check "the request: ${REQ_LEN:-?} bytes from the client to $SRV.$HTTP_PORT" \
  has_segment "> $S: " "$REQ_LEN"
check "the response: ${RESP_LEN:-?} bytes from $SRV.$HTTP_PORT to the client" \
  has_segment "$S > " "$RESP_LEN"
if grep -q 'HTTP' "$REREAD"; then
  check "the HTTP request line (GET / HTTP/1.1)" grep -q 'GET / HTTP/1\.1' "$REREAD"
  check "the HTTP status line (HTTP/1.1 200 OK)" grep -q 'HTTP/1\.1 200 OK' "$REREAD"
else
  note "(the decoder prints no HTTP lines; request and response checked by length)"
fi
check "nothing from the echo exchange (port $ECHO_PORT)" \
  bash -c '! grep -Eq "\.$1[ :]" "$2" "$3"' _ "$ECHO_PORT" "$REREAD" "$LIVE"
# The same packets, live and re-read: compare without the timestamp field.
strip_ts() { awk 'NF { $1 = ""; print }' "$1"; }
check "the re-read lines equal the live lines (timestamps aside)" \
  diff <(strip_ts "$LIVE") <(strip_ts "$REREAD")
CAPTURED=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$OUT/capture-pcap.err")
check "the writer's statistics say $N packets captured" test "${CAPTURED:-x}" = "$N"
if command -v tcpdump >/dev/null 2>&1; then
  TD=$(tcpdump -n -r "$PCAP" 2>/dev/null | grep -c . || true)
  check "tcpdump reads demo.pcap too: $TD packets" test "$TD" = "$N"
  # tcpdump -d only compiles (for the interface's link type); it captures nothing.
  if "${IN_CLIENT[@]}" tcpdump -i "$IFACE" -d "$FILTER" >"$OUT/filter.tcpdump-d" 2>/dev/null; then
    check "the kernel filter is the one tcpdump -d prints" diff "$OUT/filter.tcpdump-d" "$OUT/filter.d"
  fi
fi

if [ "$FAILED" = 0 ]; then
  printf '\nDEMO OK: %s packets of %s on %s (%s mode), statistics shown, pcap re-read\n' \
    "$N" "'$FILTER'" "$IFACE" "$MODE"
else
  printf '\nDEMO FAILED: the capture did not see exactly what it should (see above)\n'
  exit 1
fi
