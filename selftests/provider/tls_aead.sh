#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# AEAD records and the offload policy through stock OpenSSL 3 tools,
# inside the VM with the module loaded, with the provider's default
# policy:
#   - openssl dgst / enc below and above the policy's sizes: the device's
#     submitted counter stays put below and grows above; ASYNCOFF_OFFLOAD
#     and the openssl.cnf key "offload" move the sizes; a bad value fails
#     provider init naming it;
#   - s_server -async with the provider and s_client on each TLS 1.3
#     suite and TLS 1.2 ECDHE-ECDSA AES-GCM and ChaCha20-Poly1305: 1 MiB
#     (TLS_AES_256_GCM_SHA384) or 256 KiB
#     each way (16 KiB records, above the aead size) compared byte for
#     byte; the device counts the records;
#   - openssl speed -aead -async_jobs 16 for aes-128-gcm (a message per
#     iteration, each on the device) and chacha20-poly1305 (speed streams
#     one message per job: its first update on the device), the device
#     counting.
# Prints TAP.  Usage: tls_aead.sh MODULES_DIR
set -u
MOD=${1:?usage: tls_aead.sh MODULES_DIR}
W=$(mktemp -d /tmp/aoff-aead.XXXXXX)
PROV="-provider-path $MOD -provider asyncoff -provider default"
ONLY="$PROV -propquery provider=asyncoff"
unset ASYNCOFF_OFFLOAD

echo "1..14"
TAP_NAME=provider-aead
. "$(dirname "$0")/tap.sh"
check() { if [ "$2" = 1 ]; then ok "$1"; else shift 2; notok "$@"; fi; }

head -c 100 /dev/urandom >"$W/small"
head -c 100000 /dev/urandom >"$W/big"

# --- the policy through the tools ---------------------------------------
s0=$(submitted)
a=$(openssl dgst -sha256 $ONLY -r "$W/small" 2>"$W/err" | cut -d' ' -f1)
s1=$(submitted)
b=$(openssl dgst -sha256 -r "$W/small" | cut -d' ' -f1)
echo "# small digest: $((s1 - s0)) device requests"
good=0; [ -n "$a" ] && [ "$a" = "$b" ] && [ "$s1" -eq "$s0" ] && good=1
check "policy: a 100-byte digest stays in-process (counter unchanged)" \
	$good "policy: a 100-byte digest stays in-process" "$W/err"

s0=$(submitted)
a=$(openssl dgst -sha256 $ONLY -r "$W/big" 2>"$W/err" | cut -d' ' -f1)
s1=$(submitted)
b=$(openssl dgst -sha256 -r "$W/big" | cut -d' ' -f1)
echo "# big digest: $((s1 - s0)) device requests"
good=0; [ -n "$a" ] && [ "$a" = "$b" ] && [ "$s1" -gt "$s0" ] && good=1
check "policy: a 100 KB digest goes to the device" $good \
	"policy: a 100 KB digest goes to the device" "$W/err"

b=$(openssl dgst -sha256 -r "$W/small" | cut -d' ' -f1)
s0=$(submitted)
a=$(ASYNCOFF_OFFLOAD=digest:0 openssl dgst -sha256 $ONLY -r "$W/small" \
    2>"$W/err" | cut -d' ' -f1)
s1=$(submitted)
good=0; [ "$a" = "$b" ] && [ "$s1" -gt "$s0" ] && good=1
check "policy: ASYNCOFF_OFFLOAD=digest:0 sends the small digest" $good \
	"policy: ASYNCOFF_OFFLOAD=digest:0 sends the small digest" "$W/err"

K=000102030405060708090a0b0c0d0e0f
s0=$(ASYNCOFF_OFFLOAD=cipher:off submitted)
ASYNCOFF_OFFLOAD=cipher:off openssl enc -aes-128-cbc $ONLY -K $K -iv $K \
	-in "$W/big" -out "$W/c1" 2>"$W/err"
s1=$(submitted)
openssl enc -aes-128-cbc -K $K -iv $K -in "$W/big" -out "$W/c2"
good=0; cmp -s "$W/c1" "$W/c2" && [ "$s1" -eq "$s0" ] && good=1
check "policy: ASYNCOFF_OFFLOAD=cipher:off keeps 100 KB of AES-CBC in-process" \
	$good "policy: cipher:off" "$W/err"

write_cnf "$W/pol.cnf" "offload = digest:0"
s0=$(submitted)
a=$(OPENSSL_CONF=$W/pol.cnf openssl dgst -sha256 -propquery provider=asyncoff \
    -r "$W/small" 2>"$W/err" | cut -d' ' -f1)
s1=$(submitted)
good=0; [ "$a" = "$b" ] && [ "$s1" -gt "$s0" ] && good=1
check "policy: openssl.cnf offload = digest:0 sends the small digest" $good \
	"policy: openssl.cnf offload" "$W/err"

ASYNCOFF_OFFLOAD="digest:4k,aead:lots" openssl dgst -sha256 $ONLY \
	"$W/small" >/dev/null 2>"$W/err"
rc=$?
sed 's/^/# /' "$W/err" | head -n 2
good=0
[ $rc -ne 0 ] && grep -q 'ASYNCOFF_OFFLOAD = "digest:4k,aead:lots": bad value in "aead:lots"' "$W/err" &&
	good=1
check "policy: a bad ASYNCOFF_OFFLOAD fails provider init naming the item" \
	$good "policy: bad value" "$W/err"

# --- TLS: s_server -async and s_client, 1 MiB each way ------------------
# s_server's default loop (SSL_read/SSL_write, which handle a paused job):
# its stdin goes to the client, what it reads to its stdout, and the
# other way round for s_client; -quiet keeps both outputs to the data.
# (-rev and -WWW run through an SSL BIO, which does not retry a paused
# handshake or read: they cannot serve -async with work that pauses.)
# The data are decimal digits only: neither tool reads a command in them.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$W/key.pem" -out "$W/cert.pem" -subj /CN=localhost -days 1 \
	2>/dev/null
head -c 900000 /dev/urandom | od -An -tu1 -v | tr -dc '0-9' |
	head -c 1048576 >"$W/c2s.all"
head -c 900000 /dev/urandom | od -An -tu1 -v | tr -dc '0-9' |
	head -c 1048576 >"$W/s2c.all"
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null
port=5533
listening() {	# is anything listening on TCP port $1 (IPv4 or v6)?
	hex=$(printf '%04X' "$1")
	grep -q ":$hex [0-9A-F]*:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
size() { wc -c <"$1" 2>/dev/null || echo 0; }
tls_both() {	# $1: name, $2: suite options for both tools, $3: bytes each way
	port=$((port + 1))
	nb=$3
	head -c "$nb" "$W/s2c.all" >"$W/s2c"
	head -c "$nb" "$W/c2s.all" >"$W/c2s"
	rm -f "$W/sfifo" "$W/cfifo" "$W/sout" "$W/cout"
	mkfifo "$W/sfifo" "$W/cfifo"
	s0=$(submitted)
	(cat "$W/s2c"; sleep 300) >"$W/sfifo" &
	sfeed=$!
	openssl s_server $PROV -propquery "?provider=asyncoff" -async -quiet \
		-accept $port -cert "$W/cert.pem" -key "$W/key.pem" $2 \
		-naccept 1 <"$W/sfifo" >"$W/sout" 2>"$W/server.log" &
	spid=$!
	i=0
	while ! listening $port && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done
	(cat "$W/c2s"; sleep 300) >"$W/cfifo" &
	cfeed=$!
	openssl s_client -connect 127.0.0.1:$port $2 -quiet <"$W/cfifo" \
		>"$W/cout" 2>"$W/client.err" &
	cpid=$!
	i=0
	while { [ "$(size "$W/sout")" -lt "$nb" ] ||
		[ "$(size "$W/cout")" -lt "$nb" ]; } && [ $i -lt 240 ]; do
		sleep 1; i=$((i + 1))
	done
	kill $cpid $spid $cfeed $sfeed 2>/dev/null
	wait $cpid $spid 2>/dev/null
	s1=$(submitted)
	same=0
	cmp -s "$W/sout" "$W/c2s" && cmp -s "$W/cout" "$W/s2c" && same=1
	echo "# $1: server got $(size "$W/sout"), client got $(size "$W/cout"), intact $same, device requests $((s1 - s0)), ${i}s"
	good=0
	# At least one request per full 16 KiB record each way.
	[ $same = 1 ] && [ $((s1 - s0)) -ge $((nb / 8192)) ] && good=1
	check "$1: s_server -async, $((nb / 1024)) KiB each way intact, records on the device" \
		$good "$1" "$W/server.log" "$W/client.err"
}
# One suite offered by both sides: a connection that works used it.
# 1 MiB each way on TLS 1.3's default suite; 256 KiB on the others keeps
# the suite's time within its budget under TCG (a 1 MiB connection takes
# minutes there).
tls_both "TLS 1.3 TLS_AES_256_GCM_SHA384" \
	"-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384" 1048576
tls_both "TLS 1.3 TLS_AES_128_GCM_SHA256" \
	"-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256" 262144
tls_both "TLS 1.3 TLS_CHACHA20_POLY1305_SHA256" \
	"-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256" 262144
tls_both "TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256" \
	"-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256" 262144
tls_both "TLS 1.2 ECDHE-ECDSA-AES256-GCM-SHA384" \
	"-tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384" 262144
tls_both "TLS 1.2 ECDHE-ECDSA-CHACHA20-POLY1305" \
	"-tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305" 262144

# --- openssl speed -aead -async_jobs 16 ----------------------------------
# OpenSSL 3.0's speed runs a per-message loop (IV, AAD, text, final) only for
# the GCM, CCM, OCB and SIV modes.  ChaCha20-Poly1305 (a stream mode to
# speed) gets its plain loop: one message per job whose text comes in
# update after update and is never finished.  The device computes whole
# messages, so a job's first update goes to it and the rest of the stream
# continues in-process (aead.c): a handful of requests per job, not one per
# update.  The test asserts exactly that, so a change on either side shows.
JOBS=16
for alg in aes-128-gcm chacha20-poly1305; do
	s0=$(submitted)
	timeout 300 openssl speed $ONLY -async_jobs $JOBS -seconds 1 \
		-bytes 16384 -aead -evp $alg >"$W/speed" 2>&1
	rc=$?
	s1=$(submitted)
	msgs=$(grep -i "^Doing $alg" "$W/speed" | sed -n 's/.*: \([0-9]*\) .*/\1/p')
	grep -i "^$alg" "$W/speed" | sed 's/^/# /'
	echo "# device requests: $((s1 - s0)) for ${msgs:-?} messages"
	good=0
	[ $rc -eq 0 ] && grep -qi "^$alg " "$W/speed" &&
		! grep -q ':error:' "$W/speed" && good=1
	if [ $alg = aes-128-gcm ]; then
		[ $((s1 - s0)) -gt 100 ] || good=0
		check "speed -aead -async_jobs $JOBS -evp $alg: one device request per message" \
			$good "speed $alg" "$W/speed"
	else
		[ $((s1 - s0)) -ge $JOBS ] && [ $((s1 - s0)) -le $((4 * JOBS)) ] &&
			[ "${msgs:-0}" -gt $((4 * JOBS)) ] || good=0
		check "speed -aead -async_jobs $JOBS -evp $alg: each job's stream starts on the device, continues in-process" \
			$good "speed $alg" "$W/speed"
	fi
done

rm -rf "$W"
[ $fails -eq 0 ]
