#!/usr/bin/env bash
# Compares two builds of the app on bench:ingest in alternated runs (this host's speed drifts from minute to minute,
# so only runs next to each other compare). Each directory is a checkout with node_modules and `npm run build` done
# (e.g. `git worktree add /tmp/old <commit>`, link node_modules, build; builds from before --skip-follow-up existed
# need it removed below). The follow-up jobs are not waited for.
# usage: DATABASE_URL=postgres://... NATS_URL=nats://... bench/ingest/compare.sh OLD_DIR NEW_DIR [ROUNDS=3] [bench args...]
set -uo pipefail
old="$1"; new="$2"; rounds="${3:-3}"; shift $(( $# < 3 ? $# : 3 ))
for i in $(seq 1 "$rounds"); do
  for dir in "$old" "$new"; do
    out=$(cd "$dir" && node dist/bench/ingest/run.js --skip-follow-up "$@" 2>&1)
    echo "$out" | awk -v d="$dir" '/app \(end/{r=$6} /bare JetStream/{b=$4} /ratio app/{q=$5} /app process CPU/{a=$6} /server CPU/{p=$6}
      END{printf "%-30s events/s %6s  bare %6s  ratio %s  app %s us  postgres %s us per event\n", d, r, b, q, a, p}'
  done
done
