#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Style checks of asyncoff.ko, as TAP on stdout (make check-kmod-style):
#   for every kernel release in $1: a W=1 build and a sparse (C=2) build,
#   each failing on any "warning:" or "error:" line;
#   checkpatch.pl --strict on every remaining argument (source file).
# Logs: build/kmod-style/.
set -u
kvers=$1
shift
files=("$@")
logdir=$TOP/build/kmod-style
mkdir -p "$logdir"
checkpatch=$TOP/build/checkpatch/checkpatch.pl

nk=0
for k in $kvers; do nk=$((nk + 1)); done
echo "1..$((nk * 2 + ${#files[@]}))"
n=0

# $1 name, $2 log: ok/not ok from the log's warnings and the build status
report() {
	local name=$1 log=$2 status=$3
	n=$((n + 1))
	if [ "$status" -eq 0 ] && ! grep -qE '(warning|error):' "$log"; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		grep -E '(warning|error):' "$log" | head -20 | sed 's/^/# /'
		[ "$status" -eq 0 ] || tail -5 "$log" | sed 's/^/# /'
	fi
}

kbuild() {
	local out=$1 kdir=$2
	shift 2
	rm -rf "$out"
	mkdir -p "$out"
	for f in "$SRCDIR"/*.c "$SRCDIR"/*.h "$SRCDIR"/Kbuild; do
		ln -sf "$f" "$out/"
	done
	$MAKE --no-print-directory -C "$kdir" M="$out" AOFF_UAPI="$AOFF_UAPI" \
		"$@" modules
}

for k in $kvers; do
	kdir=/lib/modules/$k/build
	log=$logdir/$k-W1.log
	kbuild "$logdir/$k-W1" "$kdir" W=1 >"$log" 2>&1
	report "kmod-W1-$k" "$log" $?
	log=$logdir/$k-sparse.log
	kbuild "$logdir/$k-sparse" "$kdir" C=2 >"$log" 2>&1
	report "kmod-sparse-$k" "$log" $?
done

for f in "${files[@]}"; do
	rel=${f#"$TOP"/}
	log=$logdir/checkpatch-$(basename "$f").log
	# compat.h exists to compare kernel versions.
	ignore=FILE_PATH_CHANGES
	[ "$(basename "$f")" = compat.h ] && ignore=$ignore,LINUX_VERSION_CODE
	# TRACE_EVENT() is laid out as the kernel's own include/trace/events/
	# headers are (one TP_* macro a line, open-ended); --strict objects.
	[ "$(basename "$f")" = trace.h ] &&
		ignore=$ignore,PARENTHESIS_ALIGNMENT,OPEN_ENDED_LINE
	# Relative paths: checkpatch applies its include/uapi/ rules by path.
	(cd "$TOP" && perl "$checkpatch" --strict --no-tree --quiet \
		--no-summary --show-types --ignore "$ignore" -f "$rel") \
		>"$log" 2>&1
	status=$?
	n=$((n + 1))
	if [ "$status" -eq 0 ] && [ ! -s "$log" ]; then
		echo "ok $n checkpatch-$rel"
	else
		echo "not ok $n checkpatch-$rel"
		head -30 "$log" | sed 's/^/# /'
	fi
done
exit 0
