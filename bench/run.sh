#!/usr/bin/env bash
# Tandem's benchmarks, end to end: build, generate desks, run W1, scale, crash and overload (and,
# on PostgreSQL, two nodes on one database), print the figures. See bench/README.md and
# docs/benchmarks.md.
#
#   bench/run.sh                      # full run (release build in target-bench/)
#   bench/run.sh --sizes "10000"      # scale runs at these desk sizes only
#   bench/run.sh --smoke              # tiny desks, every command once, no timing asserted (CI)
#
# PostgreSQL runs too when TANDEM_BENCH_PG names a server, e.g.
#   TANDEM_BENCH_PG=postgres://postgres@127.0.0.1:5432 bench/run.sh
# It creates (and drops again on the next run) databases named tandem_bench_* there.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
sizes="10000 100000 1000000"
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=true ;;
        --sizes) sizes="$2"; shift ;;
        *) echo "usage: bench/run.sh [--smoke] [--sizes \"10000 100000\"]" >&2; exit 2 ;;
    esac
    shift
done

work="${TANDEM_BENCH_DIR:-${TMPDIR:-/tmp}/tandem-bench}"
mkdir -p "$work"
pg="${TANDEM_BENCH_PG:-}"

if $smoke; then
    # The debug build CI already has: the smoke run checks that every command works, not speed.
    cargo build -p tandem -p tandem-bench
    bin="${CARGO_TARGET_DIR:-target}/debug"
else
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
    cargo build --release -p tandem -p tandem-bench
    bin="$CARGO_TARGET_DIR/release"
fi
bench="$bin/tandem-bench"
tandem=(--tandem "$bin/tandem")

echo "# Tandem benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $(nproc) cores"

# backend name -> database URL for a desk called $2
url_for() {
    case "$1" in
        sqlite) echo "sqlite://$work/$2/tandem.db" ;;
        postgres) echo "$pg/tandem_bench_$2" ;;
    esac
}
backends=(sqlite)
[ -n "$pg" ] && backends+=(postgres)

generate() { # backend desk tickets
    "$bench" generate --tickets "$3" --database-url "$(url_for "$1" "$2")" --token-file "$work/$1-$2.json"
}

if $smoke; then
    for backend in "${backends[@]}"; do
        generate "$backend" smoke 200
        desk=(--token-file "$work/$backend-smoke.json")
        "$bench" w1 "${desk[@]}" "${tandem[@]}" --creates 50 --replies 20 --fetches 50 --lists 20 --searches 10 --limit-seconds 1
        "$bench" scale "${desk[@]}" "${tandem[@]}" --requests 50 --starts 1
        "$bench" crash "${desk[@]}" "${tandem[@]}" --rounds 2 --min-ms 100 --max-ms 300
        "$bench" overload "${desk[@]}" "${tandem[@]}" --concurrency 64 --seconds 2
        "$bench" recompute "${desk[@]}"   # last: it adds a standard and clocks to the desk
        "$bench" generate --demo --database-url "$(url_for "$backend" demo_smoke)" --token-file "$work/$backend-demo.json"
        "$bench" scale --token-file "$work/$backend-demo.json" "${tandem[@]}" --requests 20 --starts 1
    done
    if [ -n "$pg" ]; then
        # Nothing timed, but it fails if the two nodes disagree (a ticket missing on the other node,
        # a ticket id acknowledged twice, a row no create accounts for, a 409 or 5xx).
        generate postgres multinode_smoke 200
        "$bench" multinode --token-file "$work/postgres-multinode_smoke.json" "${tandem[@]}" \
            --creates 50 --replies 20 --fetches 50 --lists 20
    fi
    exit 0
fi

for backend in "${backends[@]}"; do
    # W1 starts from a desk with its directory and no tickets: the 2,000 it creates are the desk,
    # as in the reference figures of other help desks.
    generate "$backend" w1 0
    "$bench" w1 --token-file "$work/$backend-w1.json" "${tandem[@]}"
done
for backend in "${backends[@]}"; do
    # The pages on the demo organization a newcomer clicks through (`tandem serve --demo`).
    "$bench" generate --demo --database-url "$(url_for "$backend" demo)" --token-file "$work/$backend-demo.json"
    "$bench" scale --token-file "$work/$backend-demo.json" "${tandem[@]}"
done
for size in $sizes; do
    for backend in "${backends[@]}"; do
        generate "$backend" "scale$size" "$size"
        "$bench" scale --token-file "$work/$backend-scale$size.json" "${tandem[@]}"
        # Standards recompute for every open ticket, and one scan (changes the desk: run after scale).
        "$bench" recompute --token-file "$work/$backend-scale$size.json" --open $((size / 10))
    done
done
for backend in "${backends[@]}"; do
    generate "$backend" crash 1000
    "$bench" crash --token-file "$work/$backend-crash.json" "${tandem[@]}" --rounds 20
    generate "$backend" overload 10000
    "$bench" overload --token-file "$work/$backend-overload.json" "${tandem[@]}"
done
if [ -n "$pg" ]; then
    # Two nodes share a database only on PostgreSQL: W1 on one node, then on two, side by side.
    generate postgres multinode 10000
    "$bench" multinode --token-file "$work/postgres-multinode.json" "${tandem[@]}"
fi
# Inbound email throughput: the shared corpus replayed into the demo desk (docs/email.md).
for url in "" ${pg:+"$pg/postgres"}; do "$bin/ingest" --rounds 3 --concurrency 4 ${url:+--database-url "$url"}; done
