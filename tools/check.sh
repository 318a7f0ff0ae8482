#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs test suites and folds their TAP output into one closing line,
# "N passed, N failed, N skipped", which CI reads.
#
# Usage: tools/check.sh SUITE...
#   Each SUITE is a make target "check-SUITE" that prints TAP on stdout
#   (kselftest_harness output is TAP).  Only top-level result lines count:
#   "ok N name", "not ok N name", "ok N name # SKIP reason".
#   A suite that exits non-zero without reporting a failure, prints no
#   result, or breaks its plan ("1..N") counts as one failure, so a crash
#   can never look like a pass.
#
# Logs: build/check/SUITE.log.  Per-suite timeout: AOFF_SUITE_TIMEOUT
# seconds (default 1800).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
logdir=$top/build/check
mkdir -p "$logdir"
timeout_s=${AOFF_SUITE_TIMEOUT:-1800}

total_pass=0 total_fail=0 total_skip=0
failed_names=() skipped_names=()

for suite in "$@"; do
	log=$logdir/$suite.log
	start=$(date +%s)
	printf '== %s ...\n' "$suite"
	timeout --foreground -k 10 "$timeout_s" \
		make --no-print-directory -s -C "$top" "check-$suite" \
		>"$log" 2>&1 </dev/null
	status=$?
	secs=$(( $(date +%s) - start ))

	# pass fail skip plan, then one "F name" / "S name # reason" per line;
	# after an "F" line up to three "R" lines, the failure's diagnostics:
	# the comments just before it (kselftest_harness prints its
	# "Expected ..." there) or else the first ones after it (TAP's own
	# convention), so the closing list says why, not only what.
	summary=$(tr -d '\r' <"$log" | awk '
		function result() { npre = 0; want = 0 }
		/^1\.\.[0-9]+/ { plan += substr($1, 4) + 0; next }
		/^# / {
			if ($0 ~ /^# +(RUN|FAIL|OK|PASS|SKIP) /) next
			if (want > 0) { names = names "R " $0 "\n"; want--; next }
			pre[npre % 3] = $0; npre++
			next }
		/^not ok [0-9]+/ {
			line = $0; sub(/^not ok [0-9]+ ?-? ?/, "", line)
			if (line ~ /# *(TODO|XFAIL)/) { pass++; result(); next }
			fail++; names = names "F " line "\n"
			for (i = (npre > 3 ? npre - 3 : 0); i < npre; i++)
				names = names "R " pre[i % 3] "\n"
			want = npre ? 0 : 3; npre = 0
			next }
		/^ok [0-9]+/ {
			line = $0; sub(/^ok [0-9]+ ?-? ?/, "", line)
			if (toupper(line) ~ /# *SKIP/) { skip++; names = names "S " line "\n" }
			else pass++
			result()
			next }
		END { printf "%d %d %d %d\n%s", pass, fail, skip, plan, names }')
	read -r pass fail skip plan <<<"$(head -n1 <<<"$summary")"
	results=$((pass + fail + skip))
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		fail=$((fail + 1)); summary+=$'\n'"F $suite: timed out after ${timeout_s}s"
	elif [ "$results" -eq 0 ]; then
		fail=$((fail + 1)); summary+=$'\n'"F $suite: no test results (exit $status)"
	elif [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=$((fail + 1)); summary+=$'\n'"F $suite: exited $status without reporting a failure"
	elif [ "$plan" -gt 0 ] && [ "$plan" -ne "$results" ]; then
		fail=$((fail + 1)); summary+=$'\n'"F $suite: planned $plan tests, saw $results"
	fi
	while IFS= read -r l; do
		case $l in
		"F "*) failed_names+=("$suite: ${l#F }") ;;
		"R "*) failed_names+=("    ${l#R }") ;;
		"S "*) skipped_names+=("$suite: ${l#S }") ;;
		esac
	done < <(tail -n +2 <<<"$summary")
	printf '   %s: %d passed, %d failed, %d skipped (%ss, log %s)\n' \
		"$suite" "$pass" "$fail" "$skip" "$secs" "${log#"$top"/}"
	if [ "$fail" -gt 0 ]; then
		echo "   --- last lines of $suite.log ---"
		tr -d '\r' <"$log" | tail -n 25 | sed 's/^/   | /'
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
done

if [ ${#skipped_names[@]} -gt 0 ]; then
	echo "Skipped:"
	printf '  %s\n' "${skipped_names[@]}"
fi
if [ ${#failed_names[@]} -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failed_names[@]}"
fi
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
