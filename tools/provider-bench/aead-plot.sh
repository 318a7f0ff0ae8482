#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# aead-plot: aead-bench.sh's output (stdin) as an SVG (stdout): MB/s against
# message size, both axes logarithmic, one panel per cipher, one line per
# provider and job count (asyncoff solid, default dashed, a colour per job
# count), the policy's aead threshold a vertical line.  Plain awk so the
# benchmark needs nothing beyond what the project already uses.
set -eu
exec awk '
function lx(b) { return log(b) / log(2) }
function ly(v) { return log(v) / log(10) }
function X(b) { return L + (lx(b) - x0) / (x1 - x0) * PW }
function Y(v) { return py + PH - (ly(v) - y0) / (y1 - y0) * PH }
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); return s }
/^policy: aead threshold / { thr = $4 }
/^\| / {
	n = split($0, f, "|")
	c = f[2]; j = f[3] + 0; b = f[4] + 0
	gsub(/^ +| +$/, "", c)
	if (b <= 0 || c == "cipher") next
	if (!(c in cseen)) { cseen[c] = 1; cl[++nc] = c }
	if (!(j in jseen)) { jseen[j] = 1; jl[++nj] = j }
	if (!(b in bseen)) { bseen[b] = 1; bl[++nb] = b }
	# MB/s from the median ops/s (the table rounds MB/s to 0.01)
	m["asyncoff", c, j, b] = (f[6] + 0) * b / 1e6
	m["default", c, j, b] = (f[9] + 0) * b / 1e6
	for (k = 0; k < 2; k++) {
		v = m[k ? "default" : "asyncoff", c, j, b]
		if (v > 0 && (vmin == "" || v < vmin)) vmin = v
		if (v > 0 && (vmax == "" || v > vmax)) vmax = v
	}
}
END {
	if (!nc || vmin == "") { print "aead-plot: no table rows" > "/dev/stderr"; exit 1 }
	# sizes ascending (few of them: insertion sort)
	for (i = 2; i <= nb; i++)
		for (k = i; k > 1 && bl[k] < bl[k - 1]; k--) { t = bl[k]; bl[k] = bl[k - 1]; bl[k - 1] = t }
	x0 = lx(bl[1]); x1 = lx(bl[nb]); if (x1 == x0) { x0 -= 1; x1 += 1 }
	y0 = int(ly(vmin)); if (ly(vmin) < y0) y0--
	y1 = int(ly(vmax)); if (ly(vmax) > y1) y1++
	if (y1 == y0) y1++
	split("#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b", col, " ")
	L = 70; R = 210; T = 40; PW = 560; PH = 300; G = 70
	W = L + PW + R; H = T + nc * (PH + G)
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
	printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H
	printf "<text x=\"%d\" y=\"20\" font-size=\"14\">AEAD records: asyncoff (policy) vs default provider, MB/s by message size</text>\n", L
	for (p = 1; p <= nc; p++) {
		c = cl[p]; py = T + (p - 1) * (PH + G) + 10
		printf "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", L, py - 4, esc(c)
		printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>\n", L, py, PW, PH
		for (e = y0; e <= y1; e++) {
			y = Y(10 ^ e)
			printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, y, L + PW, y
			printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", L - 6, y + 4, 10 ^ e
		}
		for (i = 1; i <= nb; i++) {
			x = X(bl[i])
			printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x, py, x, py + PH
			printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", x, py + PH + 16, bl[i]
		}
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">message bytes</text>\n", L + PW / 2, py + PH + 34
		printf "<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\">MB/s</text>\n", L - 50, py + PH / 2
		if (thr != "" && thr != "off" && thr + 0 >= bl[1] && thr + 0 <= bl[nb] && thr + 0 > 0) {
			x = X(thr + 0)
			printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-width=\"1.5\" stroke-dasharray=\"2,3\"/>\n", x, py, x, py + PH
			# the label on the side with room, inside the panel
			if (x > L + PW * 0.7)
				printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">policy aead = %d B</text>\n", x - 4, py + 14, thr
			else
				printf "<text x=\"%.1f\" y=\"%d\">policy aead = %d B</text>\n", x + 4, py + 14, thr
		}
		ly0 = py + 10
		for (q = 1; q <= nj; q++) {
			j = jl[q]
			for (s = 0; s < 2; s++) {
				pv = s ? "default" : "asyncoff"
				pts = ""
				for (i = 1; i <= nb; i++) {
					v = m[pv, c, j, bl[i]]
					if (v > 0) pts = pts sprintf(" %.1f,%.1f", X(bl[i]), Y(v))
				}
				dash = s ? " stroke-dasharray=\"6,4\"" : ""
				if (pts != "")
					printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", substr(pts, 2), col[(q - 1) % 6 + 1], dash
				yy = ly0 + ((q - 1) * 2 + s) * 18
				printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", L + PW + 12, yy, L + PW + 42, yy, col[(q - 1) % 6 + 1], dash
				printf "<text x=\"%d\" y=\"%d\">%s, %d jobs</text>\n", L + PW + 48, yy + 4, pv, j
			}
		}
	}
	print "</svg>"
}'
