# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Shared by run.sh (the TAP suite) and bench.sh (the latency figure), inside
# the VM with the module loaded: certificates, the HAProxy configuration,
# starting and stopping HAProxy, h2load and wrk runs, the device's sysfs
# statistics.  Source it after setting W (a writable scratch directory) and
# MOD (the directory holding asyncoff.so).

SYS=/sys/class/misc/asyncoff0
PATH=$PATH:/usr/sbin:/sbin

# The listeners: one per certificate and protocol, all in one frontend so
# one HAProxy start serves every case.  name port certificate bind-options
# h2load-options description
VARIANTS="ec13 rsa13 ec13a rsa13a ec12g rsa12g ec12c rsa12c"
declare -A PORT CERT BOPTS LOPTS DESC
hp_variant() {
	PORT[$1]=$2 CERT[$1]=$3 BOPTS[$1]=$4 LOPTS[$1]=$5 DESC[$1]=$6
}
hp_variant ec13 8441 ec "alpn h2,http/1.1" "-m 4" \
	"TLS 1.3 default (TLS_AES_256_GCM_SHA384), ECDSA P-256"
hp_variant rsa13 8442 rsa "alpn h2,http/1.1" "-m 4" \
	"TLS 1.3 default (TLS_AES_256_GCM_SHA384), RSA-2048"
hp_variant ec13a 8443 ec \
	"alpn h2,http/1.1 ciphersuites TLS_AES_128_GCM_SHA256" "-m 4" \
	"TLS 1.3 TLS_AES_128_GCM_SHA256, ECDSA P-256"
hp_variant rsa13a 8444 rsa \
	"alpn h2,http/1.1 ciphersuites TLS_AES_128_GCM_SHA256" "-m 4" \
	"TLS 1.3 TLS_AES_128_GCM_SHA256, RSA-2048"
hp_variant ec12g 8445 ec \
	"alpn h2,http/1.1 ssl-max-ver TLSv1.2 ciphers ECDHE-ECDSA-AES128-GCM-SHA256" \
	"-m 4" "TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256"
hp_variant rsa12g 8446 rsa \
	"alpn h2,http/1.1 ssl-max-ver TLSv1.2 ciphers ECDHE-RSA-AES128-GCM-SHA256" \
	"-m 4" "TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256"
# HTTP/2 forbids CBC suites (RFC 7540, appendix A): HTTP/1.1 there; and
# h2load offers none unless asked.
hp_variant ec12c 8447 ec \
	"alpn http/1.1 ssl-max-ver TLSv1.2 ciphers ECDHE-ECDSA-AES128-SHA256" \
	"--h1 -m 1 --ciphers ECDHE-ECDSA-AES128-SHA256" \
	"TLS 1.2 ECDHE-ECDSA-AES128-SHA256 (CBC, encrypt-then-MAC)"
hp_variant rsa12c 8448 rsa \
	"alpn http/1.1 ssl-max-ver TLSv1.2 ciphers ECDHE-RSA-AES128-SHA256" \
	"--h1 -m 1 --ciphers ECDHE-RSA-AES128-SHA256" \
	"TLS 1.2 ECDHE-RSA-AES128-SHA256 (CBC, encrypt-then-MAC)"

stat() { cat "$SYS/$1" 2>/dev/null || echo 0; }
set_param() { echo "$2" >"$SYS/$1"; }

# hp_tools: prints what is missing, if anything.
hp_tools() {
	local t miss=
	for t in haproxy h2load wrk openssl; do
		command -v $t >/dev/null || miss="$miss $t"
	done
	[ -e /dev/asyncoff0 ] || miss="$miss /dev/asyncoff0"
	[ -f "$MOD/asyncoff.so" ] || miss="$miss $MOD/asyncoff.so"
	echo "${miss# }"
}

# The guest boots with the loopback interface down.
hp_net() {
	ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null
}

# An ECDSA P-256 and an RSA-2048 certificate, each with its key in one PEM
# (what HAProxy's crt wants).
hp_certs() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$W/ec.key" -out "$W/ec.crt" -subj /CN=localhost \
		-days 2 2>"$W/req.err" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/rsa.key" \
		-out "$W/rsa.crt" -subj /CN=localhost -days 2 2>>"$W/req.err" &&
	cat "$W/ec.crt" "$W/ec.key" >"$W/ec.pem" &&
	cat "$W/rsa.crt" "$W/rsa.key" >"$W/rsa.pem"
}

# hp_config FILE GLOBAL-LINE...: the configuration, with the given lines
# (ssl-provider, ssl-mode-async, ...) in its global section.  Only errors
# are logged (dontlog-normal), to stdout, so a failed handshake shows in
# HAProxy's output with its reason.
hp_config() {
	local f=$1 v
	shift
	{
		echo "global"
		echo "	nbthread 2"
		echo "	log stdout format raw local0 info"
		printf '\t%s\n' "$@"
		cat <<-EOF
		defaults
			mode http
			log global
			option httplog
			option dontlog-normal
			timeout connect 5s
			timeout client 60s
			timeout server 60s
			timeout http-request 60s
		frontend fe
		EOF
		for v in $VARIANTS; do
			printf '\tbind 127.0.0.1:%s name %s ssl crt %s %s\n' \
				"${PORT[$v]}" "$v" "$W/${CERT[$v]}.pem" "${BOPTS[$v]}"
		done
		printf '\thttp-request return status 200 content-type text/plain string ok\n'
	} >"$f"
}

# hp_start FILE: checks the configuration, starts HAProxy in the foreground
# mode (-db) in the background and waits until every port accepts.  On
# failure prints why (HAProxy's own output, the device, the provider) as
# TAP comments and returns 1.  HP_PID, HP_LOG.
HP_PID=
hp_diag() {
	echo "# HAProxy did not start: $1"
	sed 's/^/#   /' "$2" | tail -n 30
	echo "#   /dev/asyncoff0: $(ls -l /dev/asyncoff0 2>&1)"
	echo "#   provider: $(ls -l "$MOD/asyncoff.so" 2>&1)"
	# HAProxy says 'unable to allocate SSL context' without OpenSSL's
	# reason; the same providers in the openssl tool print it.
	openssl rand -provider-path "$MOD" -provider asyncoff \
		-provider default -hex 8 2>&1 | sed 's/^/#   openssl rand: /' |
		head -n 4
}
hp_start() {
	local cfg=$1 v i
	HP_LOG=${cfg%.cfg}.log
	HP_PID=
	if ! timeout 120 haproxy -c -f "$cfg" >"$HP_LOG" 2>&1; then
		hp_diag "haproxy -c -f $cfg failed" "$HP_LOG"
		return 1
	fi
	haproxy -db -f "$cfg" >"$HP_LOG" 2>&1 &
	HP_PID=$!
	for v in $VARIANTS; do
		i=0
		until (exec 3<>"/dev/tcp/127.0.0.1/${PORT[$v]}") 2>/dev/null; do
			if ! kill -0 "$HP_PID" 2>/dev/null; then
				wait "$HP_PID"
				hp_diag "exited with status $? before listening" "$HP_LOG"
				HP_PID=
				return 1
			fi
			i=$((i + 1))
			if [ $i -gt 600 ]; then
				hp_diag "port ${PORT[$v]} not listening after 60 s" "$HP_LOG"
				hp_stop >/dev/null
				return 1
			fi
			sleep 0.1
		done
	done
}

# hp_stop: a soft stop (SIGUSR1), then TERM, then KILL; returns HAProxy's
# exit status (0 after a soft stop), 124 if it had to be killed.
hp_stop() {
	local i=0 rc
	[ -n "$HP_PID" ] || return 1
	kill -USR1 "$HP_PID" 2>/dev/null
	while kill -0 "$HP_PID" 2>/dev/null && [ $i -lt 150 ]; do
		sleep 0.1; i=$((i + 1))
	done
	if kill -0 "$HP_PID" 2>/dev/null; then
		kill -TERM "$HP_PID"; sleep 2; kill -KILL "$HP_PID" 2>/dev/null
		wait "$HP_PID"
		rc=124
	else
		wait "$HP_PID"
		rc=$?
	fi
	HP_PID=
	return $rc
}
hp_alive() { [ -n "$HP_PID" ] && kill -0 "$HP_PID" 2>/dev/null; }

# h2 VARIANT N C [SECS [OUT]]: h2load, N requests over C connections (N
# "D<secs>": for that long), bounded by SECS (default 120).  Sets H2_RC
# (124: timed out), H2_TOTAL, H2_OK (succeeded), H2_FAILED (failed +
# errored), H2_2XX; output in OUT (default $W/h2.out).
h2() {
	local v=$1 n=$2 c=$3 t=${4:-120} out=${5:-$W/h2.out} line what
	case $n in D*) what="-D ${n#D}";; *) what="-n $n";; esac
	# shellcheck disable=SC2086 # LOPTS and what are lists of options
	timeout -k 5 "$t" h2load ${LOPTS[$v]} $what -c "$c" \
		"https://127.0.0.1:${PORT[$v]}/" >"$out" 2>&1
	H2_RC=$?
	line=$(grep '^requests:' "$out")
	H2_TOTAL=$(echo "$line" | sed -n 's/.* \([0-9]*\) total.*/\1/p')
	H2_OK=$(echo "$line" | sed -n 's/.* \([0-9]*\) succeeded.*/\1/p')
	H2_FAILED=$(( $(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p') + \
		$(echo "$line" | sed -n 's/.* \([0-9]*\) errored.*/\1/p') ))
	H2_2XX=$(grep '^status codes:' "$out" |
		sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p')
	: "${H2_TOTAL:=0}" "${H2_OK:=0}" "${H2_2XX:=0}"
	return $H2_RC
}
h2_line() {
	echo "# $1: h2load exit $H2_RC, $H2_OK of $H2_TOTAL succeeded, $H2_FAILED failed/errored, ${H2_2XX} 2xx, $(sed -n 's/^finished in \([^,]*\),.*/\1/p' "$W/h2.out")"
}
# h2_all N: every one of N requests succeeded with a 2xx.
h2_all() {
	[ "$H2_RC" -ne 124 ] && [ "$H2_TOTAL" -eq "$1" ] &&
		[ "$H2_OK" -eq "$1" ] && [ "$H2_2XX" -eq "$1" ]
}

# settle [SECS]: waits until nothing is in flight on the device (default
# 15 s); true if it got there and submitted == completed.
settle() {
	local i=0 lim=$(( ${1:-15} * 10 ))
	while [ "$(stat in_flight)" -ne 0 ] && [ $i -lt $lim ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ "$(stat in_flight)" -eq 0 ] && [ "$(stat submitted)" -eq "$(stat completed)" ]
}
