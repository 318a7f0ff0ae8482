#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The asyncoff ENGINE from C (ENG_TEST: against software, in and outside
# async jobs) and through stock openssl, inside the VM with the module
# loaded (AOFF_MODULE names it): engine -t -c shows it available with the
# device's algorithms; dgst and enc give OpenSSL's software bytes; speed
# -engine -async_jobs 16 runs on the device, one device context per job;
# an [engine_section] in openssl.cnf loads and selects it; a bad DEVICE and
# the module unloaded give errors that name the cause, not a crash.
# Public key: pkeyutl -engine -sign (RSA PKCS#1 v1.5 identical to
# software's, ECDSA verified by software) and speed -engine -async_jobs 8
# rsa2048 ecdsap256 ecdhp256.  The device's sysfs counters (submitted,
# pk_submitted) show the work reached it.  Prints TAP.
#
# Usage: run.sh ENGINES_DIR ENG_TEST
set -u
ENG=${1:?usage: run.sh ENGINES_DIR ENG_TEST}
TEST=${2:?usage: run.sh ENGINES_DIR ENG_TEST}
export OPENSSL_ENGINES=$ENG
status=0
# The C checks first (their own TAP plan), then the tools.
"$TEST" || status=1
SYS=/sys/class/misc/asyncoff0
W=$(mktemp -d /tmp/aoff-eng.XXXXXX)
E="-engine asyncoff"
n=0
fails=0

echo "1..13"
ok() { n=$((n + 1)); echo "ok $n engine: $1"; }
notok() {
	n=$((n + 1)); fails=$((fails + 1))
	echo "not ok $n engine: $1"
	shift
	for f in "$@"; do [ -f "$f" ] && sed 's/^/# /' "$f" | tail -n 20; done
}
check() {	# check COND-STATUS NAME FILES...: ok/notok on $1
	st=$1; shift
	if [ "$st" = 0 ]; then ok "$1"; else notok "$@"; fi
}
submitted() { cat $SYS/submitted 2>/dev/null || echo 0; }
pk() { cat $SYS/pk_submitted 2>/dev/null || echo 0; }
# A signal (a crash) shows as an exit status above 128.
no_crash() { [ "$1" -lt 128 ]; }

head -c 300001 /dev/urandom >"$W/in"
: >"$W/empty"
head -c 4096 /dev/urandom >"$W/in4k"
head -c 100 /dev/urandom >"$W/in100"

# --- engine -t -c ---------------------------------------------------------
openssl engine -t -c asyncoff >"$W/eng" 2>&1
rc=$?
sed 's/^/# /' "$W/eng"
st=1
if [ $rc -eq 0 ] && grep -q "\[ available \]" "$W/eng"; then
	st=0
	for a in AES-128-CBC AES-192-CBC AES-256-CBC AES-128-CTR AES-192-CTR \
		 AES-256-CTR SHA256; do
		grep -q "$a" "$W/eng" || { echo "# $a not listed"; st=1; }
	done
fi
check $st "engine -t -c: available, lists the AES-CBC/CTR ciphers and SHA256" \
	"$W/eng"

# --- dgst ------------------------------------------------------------------
before=$(submitted)
st=0
for f in "$W/in" "$W/empty" "$W/in100" "$W/in4k"; do
	b=$(openssl dgst -sha256 -r "$f" | cut -d' ' -f1)
	for impl in "" -engine_impl; do
		a=$(openssl dgst $E $impl -sha256 -r "$f" 2>"$W/err" |
		    cut -d' ' -f1)
		[ -n "$a" ] && [ "$a" = "$b" ] ||
			{ echo "# $f $impl: '$a' != '$b'"; st=1; }
	done
done
after=$(submitted)
echo "# device requests: $before -> $after"
[ "$after" -gt "$before" ] || st=1
check $st "dgst -engine asyncoff -sha256 matches software, on the device" \
	"$W/err"

# --- enc: every cipher, both directions, padding on and off ------------------
K=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
IV=f0e0d0c0b0a090807060504030201000
before=$(submitted)
st=0
for c in aes-128-cbc aes-192-cbc aes-256-cbc aes-128-ctr aes-192-ctr \
	 aes-256-ctr; do
	case $c in aes-128*) k=${K%????????????????????????????????};;
		   aes-192*) k=${K%????????????????};;
		   *) k=$K;; esac
	for opt in "" -nopad; do
		in=$W/in
		if [ -n "$opt" ]; then
			case $c in *ctr) in=$W/in100;; *) in=$W/in4k;; esac
		fi
		openssl enc -$c $opt -K $k -iv $IV -in "$in" -out "$W/ref" ||
			st=1
		openssl enc $E -$c $opt -K $k -iv $IV -in "$in" \
			-out "$W/out" 2>"$W/err" || st=1
		cmp -s "$W/ref" "$W/out" || { echo "# $c $opt encrypt differs"; st=1; }
		openssl enc $E -d -$c $opt -K $k -iv $IV -in "$W/ref" \
			-out "$W/back" 2>>"$W/err" || st=1
		cmp -s "$in" "$W/back" || { echo "# $c $opt decrypt differs"; st=1; }
	done
done
after=$(submitted)
echo "# device requests: $before -> $after"
[ $((after - before)) -ge 24 ] || st=1
check $st "enc -engine asyncoff: 6 ciphers, padding on/off, both ways match software" \
	"$W/err"

# A wrong key: the padding check fails as in software.
openssl enc $E -d -aes-128-cbc -K ${K%????????????????????????????????} \
	-iv 00000000000000000000000000000000 -in "$W/ref" -out /dev/null \
	2>"$W/err"
rc=$?
grep -q "bad decrypt" "$W/err" && [ $rc -ne 0 ] && no_crash $rc
check $? "enc -d with a wrong key: bad decrypt, non-zero exit" "$W/err"

# --- speed -async_jobs 16 ------------------------------------------------
# One device context per job (the bridge's per-wait-ctx context) shows the
# work ran inside the jobs; "contexts" is sampled while speed runs.
speed_run() {	# $1: name, $2: least device contexts seen, rest: speed args
	name=$1; minc=$2; shift 2
	before=$(submitted)
	timeout 300 openssl speed $E -async_jobs 16 -seconds 1 "$@" \
		>"$W/speed" 2>&1 &
	spid=$!
	maxc=0
	while kill -0 $spid 2>/dev/null; do
		c=$(cat $SYS/contexts 2>/dev/null || echo 0)
		[ "$c" -gt $maxc ] && maxc=$c
		sleep 0.2
	done
	wait $spid
	rc=$?
	after=$(submitted)
	grep -i "^$name " "$W/speed" | sed 's/^/# /'
	echo "# exit $rc, device requests $((after - before)), device contexts at most $maxc"
	[ $rc -eq 0 ] && grep -qi "^$name " "$W/speed" &&
		! grep -q ':error:' "$W/speed" &&
		[ $((after - before)) -gt 500 ] && [ "$maxc" -ge "$minc" ]
	check $? "speed -engine asyncoff -async_jobs 16 -evp $name runs on the device" \
		"$W/speed"
}
speed_run aes-128-cbc 16 -evp aes-128-cbc
# One size only, and it is over before the sampling sees the contexts:
# eng_test shows SHA-256 pausing in jobs.
speed_run sha256 0 -bytes 16384 -evp sha256

# --- public key: pkeyutl -sign, speed -async_jobs 8 ------------------------
# The default provider's RSA and EC keys take the default engine's methods
# (OpenSSL 3.0), so -engine reaches them; the RSA public-key operation
# stays in software (the engine's RSA offloads the CRT step only).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out "$W/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$W/ec.pem" 2>/dev/null
openssl pkey -in "$W/ec.pem" -pubout -out "$W/ec.pub"
openssl dgst -sha256 -binary "$W/in" >"$W/dg"
openssl pkeyutl -sign -inkey "$W/rsa.pem" -in "$W/dg" \
	-pkeyopt digest:sha256 -out "$W/sig.sw"
before=$(pk)
openssl pkeyutl $E -sign -inkey "$W/rsa.pem" -in "$W/dg" \
	-pkeyopt digest:sha256 -out "$W/sig.eng" 2>"$W/err"
rc=$?
openssl pkeyutl $E -sign -inkey "$W/ec.pem" -in "$W/dg" \
	-out "$W/sig.ec" 2>>"$W/err"
rc2=$?
after=$(pk)
echo "# device public-key requests: $before -> $after"
[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && cmp -s "$W/sig.sw" "$W/sig.eng" &&
	openssl pkeyutl -verify -pubin -inkey "$W/ec.pub" -in "$W/dg" \
		-sigfile "$W/sig.ec" >/dev/null 2>>"$W/err" &&
	[ $((after - before)) -ge 2 ]
check $? "pkeyutl -engine asyncoff -sign: RSA identical to software, ECDSA verifies, on the device" \
	"$W/err"

before=$(pk)
timeout 300 openssl speed $E -mr -async_jobs 8 -seconds 1 rsa2048 ecdsap256 \
	ecdhp256 >"$W/speed" 2>&1
rc=$?
after=$(pk)
# +R1 RSA sign, +R5/+R6 ECDSA sign/verify, +R7 ECDH: field 2 is the count
# (+R2, RSA verify, is software's).
ops=$(awk -F: '/^\+R[1567]:/ { s += $2 } END { print s + 0 }' "$W/speed")
grep '^+R' "$W/speed" | sed 's/^/# /'
echo "# exit $rc, speed counted $ops device operations, the device took $((after - before))"
[ $rc -eq 0 ] && [ "$ops" -gt 0 ] && [ $((after - before)) -ge "$ops" ] &&
	! grep -q ':error:' "$W/speed"
check $? "speed -engine asyncoff -async_jobs 8 rsa2048 ecdsap256 ecdhp256 on the device" \
	"$W/speed"

# --- openssl.cnf [engine_section] --------------------------------------------
cnf() {	# $1: file, $2: extra lines for the engine section
	cat >"$1" <<CNF
openssl_conf = openssl_init

[openssl_init]
engines = engine_section

[engine_section]
asyncoff = asyncoff_section

[asyncoff_section]
engine_id = asyncoff
dynamic_path = $ENG/asyncoff.so
$2
default_algorithms = ALL
init = 1
CNF
}
cnf "$W/openssl.cnf" "DEVICE = /dev/asyncoff0"
before=$(submitted)
OPENSSL_CONF=$W/openssl.cnf openssl enc -aes-256-ctr -K $K -iv $IV \
	-in "$W/in" -out "$W/out" 2>"$W/err"
rc=$?
a=$(OPENSSL_CONF=$W/openssl.cnf openssl dgst -sha256 -r "$W/in" 2>>"$W/err" |
    cut -d' ' -f1)
after=$(submitted)
openssl enc -aes-256-ctr -K $K -iv $IV -in "$W/in" -out "$W/ref"
b=$(openssl dgst -sha256 -r "$W/in" | cut -d' ' -f1)
echo "# device requests: $before -> $after"
[ $rc -eq 0 ] && cmp -s "$W/ref" "$W/out" && [ -n "$a" ] && [ "$a" = "$b" ] &&
	[ $((after - before)) -ge 2 ]
check $? "openssl.cnf [engine_section] loads it and default_algorithms selects it" \
	"$W/err"

# A DEVICE that is not there.  The openssl tools ignore errors of
# configuration modules (and go on in software), so: engine -t under that
# configuration says unavailable, and -engine with $ASYNCOFF_DEVICE naming
# it fails with an error that names the device.
cnf "$W/bad.cnf" "DEVICE = /dev/asyncoff-none"
OPENSSL_CONF=$W/bad.cnf openssl engine -t asyncoff >"$W/eng" 2>&1
rc=$?
ASYNCOFF_DEVICE=/dev/asyncoff-none openssl enc $E -aes-128-cbc \
	-K ${K%????????????????????????????????} -iv $IV -in "$W/in4k" \
	-out /dev/null 2>"$W/err"
rc2=$?
sed 's/^/# /' "$W/err" | head -n 2
no_crash $rc && no_crash $rc2 && grep -q "\[ unavailable \]" "$W/eng" &&
	grep -q "/dev/asyncoff-none" "$W/err" &&
	grep -q "asyncoff device not available" "$W/err"
check $? "a wrong DEVICE (openssl.cnf, \$ASYNCOFF_DEVICE): unavailable, the error names it" \
	"$W/eng" "$W/err"

# --- without the module ----------------------------------------------------
if [ -n "${AOFF_MODULE:-}" ] && rmmod asyncoff 2>"$W/err"; then
	openssl engine -t asyncoff >"$W/eng" 2>&1
	rc=$?
	no_crash $rc && grep -q "\[ unavailable \]" "$W/eng"
	check $? "module unloaded: engine -t says unavailable" "$W/eng"

	openssl dgst $E -sha256 "$W/in" >"$W/out" 2>"$W/err"
	rc=$?
	sed 's/^/# /' "$W/err" | head -n 3
	# The engine's own error library and reason, and the cause.
	no_crash $rc && grep -q "asyncoff engine" "$W/err" &&
		grep -q "asyncoff device not available" "$W/err" &&
		grep -q "is the asyncoff module loaded" "$W/err"
	check $? "module unloaded: -engine asyncoff fails with the engine's error naming the cause" \
		"$W/err"

	timeout 60 openssl speed $E -async_jobs 8 -seconds 1 -bytes 64 \
		-evp aes-128-cbc >"$W/out" 2>"$W/err"
	rc=$?
	echo "# speed exit $rc"
	[ $rc -ne 124 ] && no_crash $rc &&
		grep -q "asyncoff device not available" "$W/err"
	check $? "module unloaded: speed -engine -async_jobs ends with the error, no hang" \
		"$W/err"
	insmod "$AOFF_MODULE" || echo "# could not reload $AOFF_MODULE"
else
	n=$((n + 3))
	echo "not ok $((n - 2)) engine: module unloaded: engine -t # cannot rmmod asyncoff"
	echo "not ok $((n - 1)) engine: module unloaded: dgst # cannot rmmod asyncoff"
	echo "not ok $n engine: module unloaded: speed # cannot rmmod asyncoff"
	fails=$((fails + 3))
fi

rm -rf "$W"
[ $fails -eq 0 ] && [ $status -eq 0 ]
