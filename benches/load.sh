#!/usr/bin/env bash
# Load benchmark of `rapportsok serve` (issue 11): 50 concurrent clients for 30 s with
# Debian's wrk against 127.0.0.1 only, a mix of searches, facet clicks and document
# pages over the national-scale generated corpus. A benchmark, not a test: it prints
# wrk's report and one RESULT line (requests, errors, requests/s, p50/p99).
#
#   benches/load.sh                 # generate + index the national corpus in $WORK, serve, load
#   KEEP=1 benches/load.sh          # keep $WORK (corpus ~340 MB + index ~380 MB) afterwards
#   MUNICIPALITIES=29 benches/load.sh   # the 1/10 scale
#
# Needs: wrk (apt-get install wrk), a release build (made here). Everything it creates
# lives in $WORK (default /tmp/rapportsok-load) and is removed at the end unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/rapportsok-load}
MUNICIPALITIES=${MUNICIPALITIES:-290}
CLIENTS=${CLIENTS:-50}
DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }

cleanup() {
    [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK"

cargo build --release --bin rapportsok
BIN=target/release/rapportsok
if [ ! -d "$WORK/corpus" ]; then
    cargo run --release --example gen_corpus -- --out "$WORK/corpus" \
        --municipalities "$MUNICIPALITIES" --years 2015..2024 --seed 1
fi
"$BIN" index "$WORK/corpus" --index "$WORK/index" --quiet || [ $? = 3 ]
"$BIN" stats --index "$WORK/index" --json | grep -o '"documents":[0-9]*' | head -1

# The request mix, from the index itself (so every path answers 200):
# 40 % searches, 30 % facet clicks (a query with a year, a status or a committee),
# 30 % document pages of the searches' hits.
PATHS="$WORK/paths.txt"
: > "$PATHS"
urlencode() {  # a query string value: spaces as +, the rest percent-encoded
    local s="$1" out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case "$c" in
            [a-zA-Z0-9.~_-]) out+="$c" ;;
            " ") out+="+" ;;
            *) out+=$(printf '%s' "$c" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g') ;;
        esac
    done
    printf '%s' "$out"
}
committee=$("$BIN" stats --index "$WORK/index" --json | grep -o '"committee":{"[^"]*"' | sed 's/.*{"//;s/"$//')
# The queries of benches/queries.txt without their filters (lines of filters only are
# left out).
grep -v '^#' benches/queries.txt | sed 's/[^[:space:]"]*=[^[:space:]"]*//g;s/^[[:space:]]*//;s/[[:space:]]*$//' |
    grep -v '^$' |
while IFS= read -r q; do
    enc=$(urlencode "$q")
    for _ in 1 2 3 4; do echo "/sok?q=$enc"; done
    echo "/sok?q=$enc&ar=2021"
    echo "/sok?q=$enc&status=ej_genomfort"
    echo "/sok?q=$enc&namnd=$(urlencode "$committee")&sida=2"
    "$BIN" search --index "$WORK/index" --json --limit 3 --passages 0 -- "$q" |
        grep -o '"id":"[^"]*"' | sed 's/"id":"//;s/"$//' |
        while IFS= read -r id; do
            echo "/dok/$(urlencode "$id")"
        done || true
done >> "$PATHS"
echo "$(wc -l < "$PATHS") request paths ($(grep -c '^/sok?q=[^&]*$' "$PATHS") searches," \
     "$(grep -c '&' "$PATHS") facet clicks, $(grep -c '^/dok/' "$PATHS") documents)"

"$BIN" serve --index "$WORK/index" --corpus "$WORK/corpus" --bind 127.0.0.1:0 > "$WORK/serve.out" &
SERVER=$!
for _ in $(seq 100); do
    URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.out" || true)
    [ -n "$URL" ] && break
    sleep 0.2
done
[ -n "$URL" ] || { echo "load.sh: serve did not start" >&2; exit 1; }
echo "serving $URL; warm-up, then $CLIENTS clients for $DURATION"
wrk -t"$THREADS" -c"$CLIENTS" -d5s -s benches/load.lua "$URL" -- "$PATHS" > /dev/null
wrk -t"$THREADS" -c"$CLIENTS" -d"$DURATION" --latency -s benches/load.lua "$URL" -- "$PATHS"
