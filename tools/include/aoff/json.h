// SPDX-License-Identifier: Apache-2.0
/*
 * A small streaming JSON writer for the tools' --json outputs: objects and
 * arrays, keys and strings escaped, integers, doubles with a given number
 * of decimals, booleans and null.  It writes commas itself, so a caller
 * says what to write and never how to separate it.  Header-only, as
 * tools/include/aoff/sysfs.h.
 *
 * Not json-c: the tools only write JSON, as one stream in order; json-c
 * would build a tree to print it, formats doubles its own way (our
 * outputs fix the decimals, which scripts and stored results rely on) and
 * is one more run-time dependency for four printf-sized writers.
 *
 *	struct aoff_json j;
 *
 *	aoff_json_init(&j, stdout, 0);
 *	aoff_json_begin_object(&j, NULL);
 *	aoff_json_string(&j, "mode", "fd");
 *	aoff_json_double(&j, "seconds", 1.0, 3);
 *	aoff_json_end_object(&j);		=> {"mode":"fd","seconds":1.000}
 *
 * A key is NULL inside an array and at the top level.  Nesting deeper than
 * AOFF_JSON_DEPTH is not supported (none of our outputs comes close).
 */
#ifndef AOFF_TOOLS_JSON_H
#define AOFF_TOOLS_JSON_H

#include <stdio.h>

#define AOFF_JSON_DEPTH	16

struct aoff_json {
	FILE *f;
	const char *comma, *colon;	/* "," ":" or, spaced, ", " ": " */
	unsigned int depth;
	unsigned char more[AOFF_JSON_DEPTH];	/* a value at this depth */
};

/* @spaced: ", " and ": " between items (aoff-async-bench's layout). */
static inline void aoff_json_init(struct aoff_json *j, FILE *f, int spaced)
{
	j->f = f;
	j->comma = spaced ? ", " : ",";
	j->colon = spaced ? ": " : ":";
	j->depth = 0;
	j->more[0] = 0;
}

/* A JSON string: '"' and '\\' escaped, control characters as \u00XX. */
static inline void aoff_json_quoted(struct aoff_json *j, const char *s)
{
	putc('"', j->f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(j->f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(j->f, "\\u%04x", (unsigned char)*s);
		else
			putc(*s, j->f);
	}
	putc('"', j->f);
}

/* The comma before every item but a container's first, then the key. */
static inline void aoff_json_item(struct aoff_json *j, const char *key)
{
	if (j->more[j->depth])
		fputs(j->comma, j->f);
	j->more[j->depth] = 1;
	if (key) {
		aoff_json_quoted(j, key);
		fputs(j->colon, j->f);
	}
}

static inline void aoff_json_open(struct aoff_json *j, const char *key,
				  char c)
{
	aoff_json_item(j, key);
	putc(c, j->f);
	if (j->depth + 1 < AOFF_JSON_DEPTH)
		j->more[++j->depth] = 0;
}

static inline void aoff_json_close(struct aoff_json *j, char c)
{
	if (j->depth)
		j->depth--;
	putc(c, j->f);
}

static inline void aoff_json_begin_object(struct aoff_json *j, const char *key)
{
	aoff_json_open(j, key, '{');
}

static inline void aoff_json_end_object(struct aoff_json *j)
{
	aoff_json_close(j, '}');
}

static inline void aoff_json_begin_array(struct aoff_json *j, const char *key)
{
	aoff_json_open(j, key, '[');
}

static inline void aoff_json_end_array(struct aoff_json *j)
{
	aoff_json_close(j, ']');
}

static inline void aoff_json_string(struct aoff_json *j, const char *key,
				    const char *s)
{
	aoff_json_item(j, key);
	aoff_json_quoted(j, s);
}

static inline void aoff_json_int(struct aoff_json *j, const char *key,
				 long long v)
{
	aoff_json_item(j, key);
	fprintf(j->f, "%lld", v);
}

static inline void aoff_json_uint(struct aoff_json *j, const char *key,
				  unsigned long long v)
{
	aoff_json_item(j, key);
	fprintf(j->f, "%llu", v);
}

/* @decimals digits after the point, as printf's %.Nf. */
static inline void aoff_json_double(struct aoff_json *j, const char *key,
				    double v, int decimals)
{
	aoff_json_item(j, key);
	fprintf(j->f, "%.*f", decimals, v);
}

static inline void aoff_json_bool(struct aoff_json *j, const char *key, int v)
{
	aoff_json_item(j, key);
	fputs(v ? "true" : "false", j->f);
}

static inline void aoff_json_null(struct aoff_json *j, const char *key)
{
	aoff_json_item(j, key);
	fputs("null", j->f);
}

#endif /* AOFF_TOOLS_JSON_H */
