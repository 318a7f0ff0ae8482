#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The asyncoff provider's public-key algorithms through stock OpenSSL 3
# tools, inside the VM with the module loaded: genpkey on the device and
# the key saved as PEM, pkeyutl -sign/-verify/-encrypt/-decrypt/-derive
# and dgst -sign/-verify against the default provider, openssl speed
# -async_jobs 8 for rsa2048, ecdsap256, ecdhp256 and ecdhx25519 through
# openssl.cnf's default_properties, and s_server -async with an RSA-2048
# and an ECDSA P-256 certificate over TLS 1.3 and TLS 1.2 ECDHE.  The
# device's public-key statistics (pk_submitted) must show the work.
# Prints TAP.
#
# Usage: pk_tools.sh MODULES_DIR
# $PROV and $PREFER are option lists (split on purpose); "check && ok ||
# notok" is the TAP idiom, ok never fails.
# shellcheck disable=SC2086,SC2015
set -u
MOD=${1:?usage: pk_tools.sh MODULES_DIR}
W=$(mktemp -d /tmp/aoff-pk.XXXXXX)
PROV="-provider-path $MOD -provider asyncoff -provider default"
PREFER="$PROV -propquery ?provider=asyncoff"

echo "1..9"
TAP_NAME=provider-pk-tools
. "$(dirname "$0")/tap.sh"
pk() { cat $SYS/pk_submitted 2>/dev/null || echo 0; }
# check NAME BEFORE MIN FILES...: pk requests grew by at least MIN
grew() { [ $(($(pk) - $1)) -ge "$2" ]; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out "$W/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$W/ec.pem" 2>/dev/null
openssl genpkey -algorithm X25519 -out "$W/x.pem" 2>/dev/null
for k in rsa ec x; do
	openssl pkey -in "$W/$k.pem" -pubout -out "$W/$k.pub"
done
head -c 1000 /dev/urandom >"$W/msg"
openssl dgst -sha256 -binary "$W/msg" >"$W/dg"

# --- genpkey on the device, saved and read back by the default ----------
b=$(pk)
good=1
for a in "EC -pkeyopt ec_paramgen_curve:P-256" \
	 "EC -pkeyopt ec_paramgen_curve:P-384" "X25519"; do
	# shellcheck disable=SC2086 # word splitting wanted
	openssl genpkey $PREFER -algorithm $a -out "$W/dev.pem" \
		2>"$W/err" || good=0
	openssl pkey -in "$W/dev.pem" -check -noout >>"$W/err" 2>&1 || good=0
done
[ $good = 1 ] && grew "$b" 3 &&
	ok "genpkey on the device: P-256, P-384, X25519 saved, default checks them" ||
	notok "genpkey on the device: P-256, P-384, X25519 saved, default checks them" "$W/err"

# --- pkeyutl -sign / -verify ---------------------------------------------
b=$(pk)
openssl pkeyutl -sign -inkey "$W/rsa.pem" -in "$W/dg" -pkeyopt digest:sha256 \
	-out "$W/sig.def"
openssl pkeyutl $PREFER -sign -inkey "$W/rsa.pem" -in "$W/dg" \
	-pkeyopt digest:sha256 -out "$W/sig.aoff" 2>"$W/err"
if cmp -s "$W/sig.def" "$W/sig.aoff" &&
   openssl pkeyutl $PREFER -verify -pubin -inkey "$W/rsa.pub" -in "$W/dg" \
	-pkeyopt digest:sha256 -sigfile "$W/sig.def" >/dev/null 2>>"$W/err" &&
   grew "$b" 2; then
	ok "pkeyutl -sign RSA PKCS#1 v1.5 identical to default's, -verify"
else
	notok "pkeyutl -sign RSA PKCS#1 v1.5 identical to default's, -verify" "$W/err"
fi

b=$(pk)
openssl pkeyutl $PREFER -sign -inkey "$W/ec.pem" -in "$W/dg" \
	-out "$W/sig.ec" 2>"$W/err" &&
openssl pkeyutl -verify -pubin -inkey "$W/ec.pub" -in "$W/dg" \
	-sigfile "$W/sig.ec" >/dev/null 2>>"$W/err" &&
openssl pkeyutl -sign -inkey "$W/rsa.pem" -in "$W/dg" \
	-pkeyopt rsa_padding_mode:pss -pkeyopt digest:sha256 \
	-out "$W/sig.pss" 2>>"$W/err" &&
openssl pkeyutl $PREFER -verify -pubin -inkey "$W/rsa.pub" -in "$W/dg" \
	-pkeyopt rsa_padding_mode:pss -pkeyopt digest:sha256 \
	-sigfile "$W/sig.pss" >/dev/null 2>>"$W/err" && grew "$b" 2 &&
	ok "pkeyutl ECDSA signature verifies with default, default's PSS with ours" ||
	notok "pkeyutl ECDSA signature verifies with default, default's PSS with ours" "$W/err"

# --- pkeyutl -encrypt / -decrypt ----------------------------------------
b=$(pk)
head -c 64 /dev/urandom >"$W/pt"
good=1
for pad in pkcs1 oaep; do
	openssl pkeyutl -encrypt -pubin -inkey "$W/rsa.pub" -in "$W/pt" \
		-pkeyopt rsa_padding_mode:$pad -out "$W/ct" || good=0
	openssl pkeyutl $PREFER -decrypt -inkey "$W/rsa.pem" -in "$W/ct" \
		-pkeyopt rsa_padding_mode:$pad -out "$W/back" 2>>"$W/err" ||
		good=0
	cmp -s "$W/pt" "$W/back" || good=0
	openssl pkeyutl $PREFER -encrypt -pubin -inkey "$W/rsa.pub" \
		-in "$W/pt" -pkeyopt rsa_padding_mode:$pad -out "$W/ct" \
		2>>"$W/err" || good=0
	openssl pkeyutl -decrypt -inkey "$W/rsa.pem" -in "$W/ct" \
		-pkeyopt rsa_padding_mode:$pad -out "$W/back" || good=0
	cmp -s "$W/pt" "$W/back" || good=0
done
[ $good = 1 ] && grew "$b" 4 &&
	ok "pkeyutl -encrypt/-decrypt PKCS#1 v1.5 and OAEP round trips" ||
	notok "pkeyutl -encrypt/-decrypt PKCS#1 v1.5 and OAEP round trips" "$W/err"

# --- pkeyutl -derive ------------------------------------------------------
b=$(pk)
openssl genpkey -algorithm X25519 -out "$W/x2.pem" 2>/dev/null
openssl pkey -in "$W/x2.pem" -pubout -out "$W/x2.pub"
openssl pkeyutl $PREFER -derive -inkey "$W/x.pem" -peerkey "$W/x2.pub" \
	-out "$W/s1" 2>"$W/err"
openssl pkeyutl -derive -inkey "$W/x2.pem" -peerkey "$W/x.pub" -out "$W/s2"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$W/ec2.pem" 2>/dev/null
openssl pkey -in "$W/ec2.pem" -pubout -out "$W/ec2.pub"
openssl pkeyutl $PREFER -derive -inkey "$W/ec.pem" -peerkey "$W/ec2.pub" \
	-out "$W/s3" 2>>"$W/err"
openssl pkeyutl -derive -inkey "$W/ec2.pem" -peerkey "$W/ec.pub" -out "$W/s4"
[ -s "$W/s1" ] && cmp -s "$W/s1" "$W/s2" && [ -s "$W/s3" ] &&
	cmp -s "$W/s3" "$W/s4" && grew "$b" 2 &&
	ok "pkeyutl -derive X25519 and ECDH P-256 equal the default's" ||
	notok "pkeyutl -derive X25519 and ECDH P-256 equal the default's" "$W/err"

# --- dgst -sign / -verify ---------------------------------------------------
b=$(pk)
openssl dgst $PREFER -sha384 -sign "$W/ec.pem" -out "$W/dsig" "$W/msg" \
	2>"$W/err" &&
openssl dgst -sha384 -verify "$W/ec.pub" -signature "$W/dsig" "$W/msg" \
	>/dev/null 2>>"$W/err" &&
openssl dgst -sha256 -sign "$W/rsa.pem" -out "$W/dsig2" "$W/msg" &&
openssl dgst $PREFER -sha256 -verify "$W/rsa.pub" -signature "$W/dsig2" \
	"$W/msg" >/dev/null 2>>"$W/err" && grew "$b" 2 &&
	ok "dgst -sign (ECDSA) and -verify (RSA) across providers" ||
	notok "dgst -sign (ECDSA) and -verify (RSA) across providers" "$W/err"

# --- openssl speed through openssl.cnf's default_properties ------------
# Every public-key test the issue names; speed keeps its own fixed keys.
SPEED_TESTS="rsa2048 rsa4096 ecdsap256 ecdsap384 ecdhp256 ecdhx25519"
write_cnf "$W/openssl.cnf" "" "?provider=asyncoff"
b=$(pk)
OPENSSL_CONF=$W/openssl.cnf timeout 300 openssl speed -mr -seconds 1 \
	-async_jobs 8 $SPEED_TESTS >"$W/speed" 2>&1
rc=$?
d=$(($(pk) - b))
# +R1/+R2 RSA sign/verify, +R5/+R6 ECDSA, +R7 ECDH: field 2 is the count.
ops=$(awk -F: '/^\+R[12567]:/ { s += $2 } END { print s + 0 }' "$W/speed")
grep '^+R' "$W/speed" | sed 's/^/# /'
echo "# speed counted $ops operations, the device took $d public-key requests"
if [ $rc -eq 0 ] && [ "$ops" -gt 0 ] && [ "$d" -ge "$ops" ] &&
   ! grep -q ':error:' "$W/speed"; then
	ok "speed -async_jobs 8 $SPEED_TESTS on the device"
else
	notok "speed -async_jobs 8 $SPEED_TESTS on the device" "$W/speed"
fi

# --- s_server -async, RSA and ECDSA certificates, TLS 1.3 and 1.2 --------
openssl req -x509 -new -key "$W/rsa.pem" -out "$W/rsa.crt" \
	-subj /CN=localhost -days 1 2>/dev/null
openssl req -x509 -new -key "$W/ec.pem" -out "$W/ec.crt" \
	-subj /CN=localhost -days 1 2>/dev/null
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null
port=4500
hs() {	# $1 name, $2... s_client options
	name=$1
	shift
	port=$((port + 1))
	# s_server's default loop (the one that waits for async jobs; -rev
	# does not) ends the connection when its stdin ends: give it a FIFO
	# held open until the client is done.
	rm -f "$W/fifo"
	mkfifo "$W/fifo"
	(cd "$W" && exec timeout 120 openssl s_server $PREFER -async \
		-accept $port -cert rsa.crt -key rsa.pem -dcert ec.crt \
		-dkey ec.pem -naccept 1 <"$W/fifo") >"$W/server.log" 2>&1 &
	spid=$!
	exec 3>"$W/fifo"
	i=0
	while ! grep -q ACCEPT "$W/server.log" && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done
	b=$(pk)
	echo hello | timeout 120 openssl s_client -connect 127.0.0.1:$port \
		-brief "$@" >"$W/client.out" 2>&1
	crc=$?
	exec 3>&-
	i=0
	while kill -0 $spid 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill $spid 2>/dev/null
	wait $spid
	d=$(($(pk) - b))
	grep -E "Protocol|Ciphersuite|Peer signature type|Temp Key" \
		"$W/client.out" | sed 's/^/# /'
	echo "# $name: client $crc, device public-key requests $d"
	# Signature, key share generation and derivation: 3 requests; with a
	# key share on P-521 only the signature.
	case $name in *P-521*) want=1;; *) want=3;; esac
	if [ $crc -eq 0 ] && grep -q "CONNECTION ESTABLISHED" "$W/client.out" &&
	   [ "$d" -ge $want ]; then
		hs_ok=$((hs_ok + 1))
	else
		sed 's/^/# /' "$W/server.log" "$W/client.out" | tail -n 20
	fi
}
hs_ok=0
hs "TLS 1.3 RSA-PSS X25519" -tls1_3 -sigalgs rsa_pss_rsae_sha256 \
	-groups X25519
hs "TLS 1.3 ECDSA P-256" -tls1_3 -sigalgs ecdsa_secp256r1_sha256 \
	-groups P-256
hs "TLS 1.2 ECDHE-RSA" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 \
	-groups P-384
# TLS 1.2 wants the ECDSA certificate's curve among the client's groups.
hs "TLS 1.2 ECDHE-ECDSA" -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 \
	-groups P-256
# P-521 is not the device's: the key share is made and used in-process.
hs "TLS 1.3 ECDSA, P-521 key share" -tls1_3 -sigalgs ecdsa_secp256r1_sha256 \
	-groups P-521
[ $hs_ok = 5 ] &&
	ok "s_server -async: TLS 1.3 and 1.2 ECDHE handshakes, RSA and ECDSA certificates, signature and key exchange on the device" ||
	notok "s_server -async: TLS 1.3 and 1.2 ECDHE handshakes, RSA and ECDSA certificates, signature and key exchange on the device"

# --- a key the device does not take ----------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
	-out "$W/rsa1k.pem" 2>/dev/null
b=$(pk)
openssl pkeyutl $PREFER -sign -inkey "$W/rsa1k.pem" -in "$W/dg" \
	-pkeyopt digest:sha256 -out "$W/s1k" 2>"$W/err"
rc=$?
openssl pkeyutl -sign -inkey "$W/rsa1k.pem" -in "$W/dg" \
	-pkeyopt digest:sha256 -out "$W/s1k.def"
[ $rc -eq 0 ] && cmp -s "$W/s1k" "$W/s1k.def" && [ "$(pk)" -eq "$b" ] &&
	ok "RSA-1024 (not the device's), preferring asyncoff: the default provider signs" ||
	notok "RSA-1024 (not the device's), preferring asyncoff: the default provider signs" "$W/err"

rm -rf "$W"
[ $fails -eq 0 ]
