// SPDX-License-Identifier: Apache-2.0
/*
 * --plot FILE.svg: a line chart written by hand, so that no plotting tool
 * is needed to produce Documentation/'s figures.  x on a log2 axis (sizes,
 * jobs), y on a log10 axis (rates spanning decades), one line per series,
 * a legend on the right.  The file is self-contained SVG 1.1.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define W	860
#define H	500
#define ML	90	/* margins: left, right, top, bottom */
#define MR	190
#define MT	60
#define MB	70

static const char *const colors[] = {
	"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
};

static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* 16, 256, 1K, 16K, 1M: powers of two as people write sizes. */
static void fmt_pow2(char *buf, size_t len, double v)
{
	unsigned long long u = (unsigned long long)llround(v);

	if (u >= 1048576 && !(u % 1048576))
		snprintf(buf, len, "%lluM", u / 1048576);
	else if (u >= 1024 && !(u % 1024))
		snprintf(buf, len, "%lluK", u / 1024);
	else
		snprintf(buf, len, "%llu", u);
}

/* 100, 1k, 10k, 1M: decades. */
static void fmt_decade(char *buf, size_t len, double v)
{
	static const char *const unit[] = { "", "k", "M", "G", "T" };
	unsigned int i = 0;

	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, "%g%s", v, unit[i]);
}

int bench_plot_svg(const char *path, const char *title, const char *xlabel,
		   const char *ylabel, const struct plot_series *s,
		   unsigned int nr)
{
	double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY;
	double ymax = -INFINITY, lx0, lx1, ly0, ly1, pw = W - ML - MR;
	double ph = H - MT - MB;
	char buf[32];
	FILE *f;

	for (unsigned int k = 0; k < nr; k++)
		for (unsigned int i = 0; i < s[k].n; i++) {
			if (s[k].x[i] <= 0 || s[k].y[i] <= 0)
				continue;
			xmin = fmin(xmin, s[k].x[i]);
			xmax = fmax(xmax, s[k].x[i]);
			ymin = fmin(ymin, s[k].y[i]);
			ymax = fmax(ymax, s[k].y[i]);
		}
	if (!isfinite(xmin) || !isfinite(ymin))
		return -EINVAL;	/* nothing to draw */
	lx0 = floor(log2(xmin));
	lx1 = ceil(log2(xmax));
	if (lx1 <= lx0)
		lx1 = lx0 + 1;
	ly0 = floor(log10(ymin));
	ly1 = ceil(log10(ymax));
	if (ly1 <= ly0)
		ly1 = ly0 + 1;

	f = fopen(path, "w");
	if (!f)
		return -errno;
#define X(v) (ML + (log2(v) - lx0) / (lx1 - lx0) * pw)
#define Y(v) (MT + ph - (log10(v) - ly0) / (ly1 - ly0) * ph)
	/* Plots end up in Documentation/: they carry the project's SPDX line. */
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<!-- SPDX-License-Identifier: Apache-2.0 -->\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"sans-serif\" font-size=\"13\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		W, H, W, H);
	/* Centred on the whole width: titles name kernel and settings. */
	fprintf(f, "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" "
		"font-size=\"14\" font-weight=\"bold\">", W / 2);
	put_text(f, title);
	fputs("</text>\n", f);

	/* Grid and tick labels: every power of two, every decade. */
	fputs("<g stroke=\"#dddddd\" stroke-width=\"1\">\n", f);
	for (double e = lx0; e <= lx1; e++)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
			X(exp2(e)), MT, X(exp2(e)), H - MB);
	for (double e = ly0; e <= ly1; e++)
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			ML, Y(pow(10, e)), W - MR, Y(pow(10, e)));
	fputs("</g>\n<g text-anchor=\"middle\">\n", f);
	for (double e = lx0; e <= lx1; e++) {
		if (lx1 - lx0 > 12 && (long)(e - lx0) % 2)
			continue;
		fmt_pow2(buf, sizeof(buf), exp2(e));
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", X(exp2(e)),
			H - MB + 18, buf);
	}
	fputs("</g>\n<g text-anchor=\"end\">\n", f);
	for (double e = ly0; e <= ly1; e++) {
		fmt_decade(buf, sizeof(buf), pow(10, e));
		fprintf(f, "<text x=\"%d\" y=\"%.1f\">%s</text>\n", ML - 8,
			Y(pow(10, e)) + 4, buf);
	}
	fputs("</g>\n", f);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" "
		"fill=\"none\" stroke=\"black\"/>\n", ML, MT, pw, ph);
	fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
		ML + pw / 2, H - 20);
	put_text(f, xlabel);
	fprintf(f, "</text>\n<text transform=\"translate(22 %.1f) "
		"rotate(-90)\" text-anchor=\"middle\">", MT + ph / 2);
	put_text(f, ylabel);
	fputs("</text>\n", f);

	/* The series, then the legend. */
	for (unsigned int k = 0; k < nr; k++) {
		const char *c = colors[k % (sizeof(colors) / sizeof(colors[0]))];

		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" "
			"stroke-width=\"2\" points=\"", c);
		for (unsigned int i = 0; i < s[k].n; i++)
			if (s[k].x[i] > 0 && s[k].y[i] > 0)
				fprintf(f, "%.1f,%.1f ", X(s[k].x[i]),
					Y(s[k].y[i]));
		fputs("\"/>\n", f);
		for (unsigned int i = 0; i < s[k].n; i++)
			if (s[k].x[i] > 0 && s[k].y[i] > 0)
				fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" "
					"r=\"3.5\" fill=\"%s\"/>\n",
					X(s[k].x[i]), Y(s[k].y[i]), c);
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"%s\" stroke-width=\"2\"/>\n", W - MR + 16,
			MT + 10 + 22 * (int)k, W - MR + 40,
			MT + 10 + 22 * (int)k, c);
		fprintf(f, "<text x=\"%d\" y=\"%d\">", W - MR + 46,
			MT + 14 + 22 * (int)k);
		put_text(f, s[k].name);
		fputs("</text>\n", f);
	}
#undef X
#undef Y
	fputs("</svg>\n", f);
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}
