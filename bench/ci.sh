#!/usr/bin/env bash
# Every benchmark at a CI size, so none of them rots: the addon is installed
# once into a template database that each benchmark copies, each script runs
# with 2,000 devices or fewer, and the JSON object on its last line must
# parse and hold its keys. Prints one line per benchmark, then "N passed,
# N failed"; exits non-zero on any failure.
#
#   bench/ci.sh [devices]          (default 2000; BENCH_PORT, default 8206)
set -uo pipefail
cd "$(dirname "$0")"
devices="${1:-2000}"
port="${BENCH_PORT:-8206}"
template="mitl_bench_ci_template_$$"
out="$(mktemp -d)"
trap 'dropdb --if-exists "$template" >/dev/null 2>&1; rm -rf "$out"' EXIT

python3 -c "import benchlib; benchlib.install('$template')" >"$out/install.log" 2>&1 || {
  cat "$out/install.log" >&2
  echo "0 passed, 1 failed"
  exit 1
}
export MITL_BENCH_TEMPLATE="$template"

passed=0
failed=0
run() {
  local name="$1" keys="$2"
  shift 2
  local started=$SECONDS
  if python3 "$@" >"$out/$name.out" 2>"$out/$name.err" &&
    python3 - "$out/$name.out" "$keys" <<'PY'
import json, sys
last = open(sys.argv[1], encoding="utf-8").read().strip().splitlines()[-1]
result = json.loads(last)
missing = [key for key in sys.argv[2].split(",") if result.get(key) is None]
if missing:
    sys.exit(f"missing or empty keys: {missing} in {last}")
print(last)
PY
  then
    passed=$((passed + 1))
    echo "ok   $name ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1))
    echo "FAIL $name ($((SECONDS - started)) s)"
    tail -n 30 "$out/$name.err" "$out/$name.out" >&2
  fi
}

run charge_run "run_s,floor_s,vs_floor,unkeyed_floor_s,unkeyed_vs_floor,keyed_floor_s,vs_keyed_floor,xlsx_s,xlsx_floor_s,xlsx_vs_floor,peak_rss_mb" \
  charge_run.py --devices "$devices" --codes 50
run remap "apply_s,apply_floor_s,apply_vs_floor,undo_s,undo_floor_s,undo_vs_floor,peak_rss_mb" \
  remap.py --devices "$devices" --codes 50
run reconcile "reconcile_s,floor_s,vs_floor,unkeyed_floor_s,unkeyed_vs_floor,keyed_floor_s,vs_keyed_floor,peak_rss_mb,classes,floor_classes" \
  reconcile.py --lines "$devices" --codes 50
run einvoice "einvoice_s,floor_s,ratio,read_s,einvoice_mb,peak_rss_mb,floor_peak_rss_mb,classes" \
  einvoice.py --lines "$devices" --codes 50
run import_devices "import_s,peak_rss_mb,baseline_s,baseline_peak_rss_mb,vs_baseline,background_s,background_peak_rss_mb" \
  import_devices.py --devices $((devices / 2)) --batch 250
run ui "ms,max_ms,warning_job_s,seq_scans,server_peak_rss_mb,peak_rss_mb" \
  ui.py --devices "$devices" --port "$port" --repeat 2
run multi_company "per_company,per_device_us,spread,other_company_waits,same_company_waits,peak_rss_mb" \
  multi_company.py --companies 3 --devices $((devices / 5)) --codes 20

run receipt "receipt_s,baseline_s,ratio" \
  receipt.py --products 2 --per-product 20 --repeat 1
run certificates "import_s,floor_s,vs_floor,states_floor_s,vs_states_floor,peak_rss_mb" \
  certificates.py --devices 500 --codes 20
run mdm_import "preview_s,apply_s,total_s,floor_s,vs_floor,updated,peak_rss_mb" \
  mdm_import.py --devices "$devices"
run load "calls,throughput_per_s,read_p95_ms,job_alone_s,job_under_load_s,job_vs_alone,remap_under_load_s,replica,posted_ok,server_peak_rss_mb,peak_rss_mb" \
  load.py --devices $((devices / 4)) --codes 20 --users 4 --seconds 15 --port $((port + 20)) --replica
run fk_cost "unlogged_s,fk0_s,fk4_s,fk8_s,per_fk_per_100k_s,peak_rss_mb" \
  fk_cost.py --rows "$devices"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
