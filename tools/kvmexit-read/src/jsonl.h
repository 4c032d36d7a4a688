/* SPDX-License-Identifier: GPL-2.0 */
/* A small, bounded JSON reader for one line of JSON Lines: checks that the
 * line is exactly one JSON object (RFC 8259 grammar, nesting at most
 * KX_JSON_DEPTH deep) and walks its members. Values are spans of the line,
 * nothing is allocated. */
#ifndef KX_JSONL_H
#define KX_JSONL_H

#include <stddef.h>

#define KX_JSON_DEPTH 16

enum kx_jtype {
	KX_J_STRING,
	KX_J_NUMBER,
	KX_J_TRUE,
	KX_J_FALSE,
	KX_J_NULL,
	KX_J_OBJECT,
	KX_J_ARRAY,
};

struct kx_jval {
	enum kx_jtype type;
	const char *p; /* its text; a string's without the quotes, escaped */
	size_t n;
};

struct kx_jiter {
	const char *base; /* the line, for columns in messages */
	const char *p, *end; /* what is left of the object, '}' included */
	int first;
};

/* Checks that line[0..n) is one JSON object (spaces around allowed) and
 * starts walking its members: 0, or -1 with why = "column C: ...". */
int kx_json_object(const char *line, size_t n, struct kx_jiter *it,
		   char *why, size_t size);
/* Walks the members of an object value of a checked line. */
void kx_json_members(const char *base, const struct kx_jval *obj,
		     struct kx_jiter *it);
/* The next member of a checked object: 1 (key, value), 0 at its end. */
int kx_json_next(struct kx_jiter *it, struct kx_jval *key, struct kx_jval *val);

/* Unescapes a string value into out (NUL-terminated): its length, -1 if
 * it does not fit in size - 1 bytes, -2 if it has \u0000 or a \u escape
 * above \u00ff (which kvmexit-read never writes). */
int kx_json_unescape(const struct kx_jval *v, char *out, size_t size);
/* 1 if v is the string s */
int kx_json_is(const struct kx_jval *v, const char *s);
/* Column (1-based) of v's text in the line that base starts */
size_t kx_json_column(const char *base, const struct kx_jval *v);

#endif
