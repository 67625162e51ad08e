/*
 * jsregex.h -- JavaScript regular expressions (as the reference grep's
 * `new RegExp(pattern)` reads them: no flags, so no unicode mode, with
 * the web-compatibility rules of Annex B) compiled with PCRE2.
 *
 * PCRE2 already reads most of the syntax the same way.  What differs is
 * rewritten first: an escape JavaScript does not know stands for the
 * letter itself ("\p" is "p", "\Q" is "Q"), "\v" is the vertical tab,
 * "[" inside a class is literal (no POSIX classes), and group syntax
 * other than (?: (?= (?! (?<= (?<! and (?<name> is refused with V8's
 * "Invalid group".  PCRE2's messages for the common mistakes are given
 * in V8's words.  Lines are matched as UTF-8 (PCRE2_UTF), with a match
 * limit, so a hostile pattern cannot stall the harness.
 *
 * This module parses model input: it has a fuzz target
 * (tests/fuzz/jsregex_fuzz.c).
 */
#ifndef PILOTHOUSE_JSREGEX_H
#define PILOTHOUSE_JSREGEX_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stddef.h>

#include <pcre2.h>

/*
 * Compile pattern (len bytes).  NULL with *cause, the V8-style text
 * after "Invalid regular expression: /PATTERN/: ".  Caller frees the
 * code with pcre2_code_free.
 */
pcre2_code	*jsregex_compile(const char *, size_t, char **);

#endif
