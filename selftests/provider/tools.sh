#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The asyncoff provider through stock OpenSSL 3 tools, inside the VM with
# the module loaded (AOFF_MODULE names it): dgst, enc, mac give the
# default provider's bytes; an openssl.cnf section loads it; openssl speed
# -async_jobs 64 runs on the device; s_server -async and s_client do TLS
# 1.2 with an AES-CBC/SHA-256 suite on it; a size setting too large for
# size_t fails provider init naming the setting and value; with the module
# unloaded the tools fail with an error naming the cause.  Prints TAP.
#
# Usage: tools.sh MODULES_DIR
set -u
MOD=${1:?usage: tools.sh MODULES_DIR}
W=$(mktemp -d /tmp/aoff-prov.XXXXXX)
PROV="-provider-path $MOD -provider asyncoff -provider default"
ONLY="$PROV -propquery provider=asyncoff"

echo "1..15"
TAP_NAME=provider-tools
. "$(dirname "$0")/tap.sh"

head -c 300001 /dev/urandom >"$W/in"
: >"$W/empty"
head -c 4096 /dev/urandom >"$W/in4k"

# --- dgst, mac: the same digest as the default provider ----------------
before=$(submitted)
good=1
for f in "$W/in" "$W/empty"; do
	a=$(openssl dgst -sha256 $ONLY -r "$f" 2>"$W/err" | cut -d' ' -f1)
	b=$(openssl dgst -sha256 -r "$f" | cut -d' ' -f1)
	[ -n "$a" ] && [ "$a" = "$b" ] || good=0
done
[ $good = 1 ] && ok "dgst -sha256 matches the default provider" ||
	notok "dgst -sha256 matches the default provider" "$W/err"

# The HMAC key type and its signature glue come from the default
# provider, which fetches the MAC itself: prefer ours, don't demand it.
b0=$(submitted)
a=$(openssl dgst -sha256 -hmac "a secret key" $PROV -propquery "?provider=asyncoff" \
    -r "$W/in" 2>"$W/err" | cut -d' ' -f1)
b1=$(submitted)
b=$(openssl dgst -sha256 -hmac "a secret key" -r "$W/in" | cut -d' ' -f1)
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$b1" -gt "$b0" ] &&
	ok "dgst -hmac matches the default provider" ||
	notok "dgst -hmac matches the default provider" "$W/err"

good=1
for key in 00 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041; do
	a=$(openssl mac -digest SHA256 -macopt hexkey:$key $ONLY -in "$W/in" \
	    HMAC 2>"$W/err")
	b=$(openssl mac -digest SHA256 -macopt hexkey:$key -in "$W/in" HMAC)
	[ -n "$a" ] && [ "$a" = "$b" ] || good=0
done
[ $good = 1 ] && ok "mac HMAC matches the default provider" ||
	notok "mac HMAC matches the default provider" "$W/err"

# --- enc: both directions, every cipher ---------------------------------
K=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
IV=f0e0d0c0b0a090807060504030201000
good=1
for c in aes-128-cbc aes-192-cbc aes-256-cbc aes-128-ctr aes-192-ctr \
	 aes-256-ctr; do
	case $c in aes-128*) k=${K%????????????????????????????????};;
		   aes-192*) k=${K%????????????????};;
		   *) k=$K;; esac
	for opt in "" -nopad; do
		in=$W/in
		if [ -n "$opt" ]; then
			case $c in *ctr) continue;; esac
			in=$W/in4k
		fi
		openssl enc -$c $opt -K $k -iv $IV -in "$in" -out "$W/ref" ||
			good=0
		openssl enc -$c $opt $ONLY -K $k -iv $IV -in "$in" \
			-out "$W/out" 2>"$W/err" || good=0
		cmp -s "$W/ref" "$W/out" || { echo "# $c $opt encrypt differs"; good=0; }
		openssl enc -d -$c $opt $ONLY -K $k -iv $IV -in "$W/ref" \
			-out "$W/back" 2>>"$W/err" || good=0
		cmp -s "$in" "$W/back" || { echo "# $c $opt decrypt differs"; good=0; }
	done
done
[ $good = 1 ] && ok "enc: 6 ciphers, padding on/off, both directions match" ||
	notok "enc: 6 ciphers, padding on/off, both directions match" "$W/err"

# A wrong key: the padding check fails as with the default provider.
openssl enc -d -aes-128-cbc $ONLY -K ${K%????????????????????????????????} \
	-iv 00000000000000000000000000000000 -in "$W/ref" -out /dev/null \
	2>"$W/err"
rc=$?
grep -q "bad decrypt" "$W/err" && [ $rc -ne 0 ] &&
	ok "enc -d with a wrong key: bad decrypt, non-zero exit" ||
	notok "enc -d with a wrong key: bad decrypt, non-zero exit" "$W/err"

after=$(submitted)
echo "# device requests: $before -> $after"
[ "$after" -gt "$before" ] && ok "the device did the tools' work" ||
	notok "the device did the tools' work"

# --- openssl.cnf ---------------------------------------------------------
write_cnf "$W/openssl.cnf" "dup_max = 65536" "?provider=asyncoff"
before=$(submitted)
a=$(OPENSSL_CONF=$W/openssl.cnf openssl dgst -sha256 -r "$W/in" 2>"$W/err" |
    cut -d' ' -f1)
b=$(openssl dgst -sha256 -r "$W/in" | cut -d' ' -f1)
after=$(submitted)
OPENSSL_CONF=$W/openssl.cnf openssl list -providers >"$W/list" 2>&1
if grep -q asyncoff "$W/list" && [ -n "$a" ] && [ "$a" = "$b" ] &&
   [ "$after" -gt "$before" ]; then
	ok "openssl.cnf section loads it and default_properties selects it"
else
	notok "openssl.cnf section loads it and default_properties selects it" \
		"$W/list" "$W/err"
fi

# --- size settings that do not fit ---------------------------------------
# Each must fail provider init with an error naming setting and value: a
# suffix multiplying past SIZE_MAX once wrapped to a small size (2^54 k is
# 0).  The largest threshold that fits still loads.
good=1
bad_size() {	# VAR=VALUE, the message expected
	env "$1" openssl dgst -sha256 $ONLY "$W/in4k" >/dev/null 2>"$W/err" &&
		{ echo "# $1 was accepted"; good=0; return; }
	grep -qF "$2" "$W/err" || { echo "# $1: no \"$2\""; good=0; }
}
bad_size ASYNCOFF_DUP_MAX=18446744073709551615k \
	'ASYNCOFF_DUP_MAX = "18446744073709551615k": too large'
bad_size ASYNCOFF_DATA_BYTES=99999999999999999999k \
	'ASYNCOFF_DATA_BYTES = "99999999999999999999k": too large'
bad_size ASYNCOFF_DATA_BYTES=18014398509481984k \
	'ASYNCOFF_DATA_BYTES = "18014398509481984k": too large'
bad_size ASYNCOFF_OFFLOAD=digest:18446744073709551615k \
	'value too large in "digest:18446744073709551615k"'
bad_size ASYNCOFF_OFFLOAD=cipher:99999999999999999999k \
	'value too large in "cipher:99999999999999999999k"'
# From openssl.cnf (2^44 m is 0 once wrapped): the tools drop errors of
# the configuration's loading, so only the failure shows.
write_cnf "$W/big.cnf" "dup_max = 17592186044416m"
OPENSSL_CONF=$W/big.cnf openssl dgst -sha256 -propquery provider=asyncoff \
	"$W/in4k" >/dev/null 2>"$W/err" && { echo "# cnf accepted"; good=0; }
ASYNCOFF_OFFLOAD=digest:18446744073709551614 openssl dgst -sha256 $ONLY \
	"$W/in4k" >/dev/null 2>"$W/err" || { echo "# largest refused"; good=0; }
[ $good = 1 ] && ok "a size that does not fit fails init naming it" ||
	notok "a size that does not fit fails init naming it" "$W/err"

# --- openssl speed -async_jobs 64 ---------------------------------------
for alg in sha256 aes-128-cbc; do
	before=$(submitted)
	timeout 300 openssl speed $ONLY -async_jobs 64 -seconds 1 -evp $alg \
		>"$W/speed" 2>&1
	rc=$?
	after=$(submitted)
	grep -i "^$alg" "$W/speed" | sed 's/^/# /'
	echo "# device requests: $((after - before))"
	if [ $rc -eq 0 ] && grep -qi "^$alg " "$W/speed" &&
	   ! grep -q ':error:' "$W/speed" && [ $((after - before)) -gt 1000 ]; then
		ok "speed -async_jobs 64 -evp $alg runs on the device"
	else
		notok "speed -async_jobs 64 -evp $alg runs on the device" \
			"$W/speed"
	fi
done

# --- TLS 1.2: s_server -async with the provider, s_client ---------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$W/key.pem" -out "$W/cert.pem" -subj /CN=localhost -days 1 \
	2>/dev/null
head -c 200000 /dev/urandom >"$W/data.bin"
# The guest boots with the loopback interface down.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null
port=4433
tls_run() {	# $1: name, $2: client cipher, $3: extra client options
	port=$((port + 1))
	before=$(submitted)
	(cd "$W" && exec timeout 120 openssl s_server $PROV \
		-propquery "?provider=asyncoff" -async -accept $port \
		-cert cert.pem -key key.pem -tls1_2 -cipher "$2" -naccept 1 \
		-WWW) >"$W/server.log" 2>&1 &
	spid=$!
	i=0
	while ! grep -q ACCEPT "$W/server.log" && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done
	printf 'GET /data.bin HTTP/1.0\r\n\r\n' |
		timeout 120 openssl s_client -connect 127.0.0.1:$port -tls1_2 \
		-cipher "$2" $3 -ign_eof >"$W/client.out" 2>"$W/client.err"
	crc=$?
	# A client that never got through must not leave the server waiting.
	i=0
	while kill -0 $spid 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill $spid 2>/dev/null
	wait $spid
	src=$?
	after=$(submitted)
	# The file is the last 200000 bytes of what the client printed
	# before its closing session summary, if any; compare by search.
	got=$(grep -c "Cipher is $2" "$W/client.out")
	tail -c 200000 "$W/data.bin" >"$W/want"
	python3 - "$W/client.out" "$W/data.bin" <<'PY' && same=1 || same=0
import sys
out = open(sys.argv[1], 'rb').read()
want = open(sys.argv[2], 'rb').read()
sys.exit(0 if want in out else 1)
PY
	echo "# $1: client $crc, server $src, cipher lines $got, file received $same, device requests $((after - before))"
	# s_server -WWW closes without close_notify: the client may report
	# an unexpected EOF (exit 1) after it got everything; that is fine.
	if [ $crc -le 1 ] && [ $src -eq 0 ] && [ "$got" -ge 1 ] &&
	   [ $same = 1 ] && [ $((after - before)) -gt 0 ]; then
		ok "$1"
	else
		notok "$1" "$W/server.log" "$W/client.err"
	fi
}
if command -v python3 >/dev/null; then
	tls_run "TLS 1.2 ECDHE-ECDSA-AES128-SHA256, encrypt-then-MAC, s_server -async on the device" \
		ECDHE-ECDSA-AES128-SHA256 ""
	tls_run "TLS 1.2 ECDHE-ECDSA-AES128-SHA256, MAC-then-encrypt (-no_etm), s_server -async on the device" \
		ECDHE-ECDSA-AES128-SHA256 -no_etm
	tls_run "TLS 1.2 ECDHE-ECDSA-AES256-SHA384 (record HMAC-SHA384 on the device too)" \
		ECDHE-ECDSA-AES256-SHA384 ""
else
	skip "TLS ETM" "no python3"; skip "TLS no ETM" "no python3"
	skip "TLS SHA384" "no python3"
fi

# --- without the module --------------------------------------------------
if [ -n "${AOFF_MODULE:-}" ] && rmmod asyncoff 2>"$W/err"; then
	openssl dgst -sha256 $ONLY "$W/in" >"$W/out" 2>"$W/err"
	rc=$?
	sed 's/^/# /' "$W/err" | head -n 3
	if [ $rc -ne 0 ] && grep -q "asyncoff device not available" "$W/err" &&
	   grep -q "is the asyncoff module loaded" "$W/err"; then
		ok "module unloaded: dgst fails, the error names the cause"
	else
		notok "module unloaded: dgst fails, the error names the cause" \
			"$W/err"
	fi
	timeout 60 openssl speed $ONLY -async_jobs 8 -seconds 1 -bytes 64 \
		-evp aes-128-cbc >"$W/out" 2>"$W/err"
	rc=$?
	if [ $rc -ne 0 ] && grep -q "asyncoff device not available" "$W/err"; then
		ok "module unloaded: speed -async_jobs fails cleanly, no hang"
	else
		echo "# speed exit $rc"
		notok "module unloaded: speed -async_jobs fails cleanly, no hang" \
			"$W/err" "$W/out"
	fi
	insmod "$AOFF_MODULE" || echo "# could not reload $AOFF_MODULE"
else
	skip "module unloaded: dgst" "cannot rmmod asyncoff"
	skip "module unloaded: speed" "cannot rmmod asyncoff"
fi

rm -rf "$W"
[ $fails -eq 0 ]
