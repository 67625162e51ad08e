/*
 * compiler.h -- project-wide macros (the AD_ prefix) for attributes and
 * small idioms every layer uses.  Nothing here allocates or does I/O.
 */
#ifndef PILOTHOUSE_COMPILER_H
#define PILOTHOUSE_COMPILER_H

#define AD_WARN_UNUSED		__attribute__((warn_unused_result))
#define AD_PRINTFLIKE(f, a)	__attribute__((format(printf, f, a)))
#define AD_NORETURN		__attribute__((noreturn))
#define AD_UNUSED		__attribute__((unused))

/* Number of elements of a true array (never a pointer). */
#define AD_NITEMS(a)		(sizeof (a) / sizeof (a)[0])

#define AD_MIN(a, b)		((a) < (b) ? (a) : (b))
#define AD_MAX(a, b)		((a) > (b) ? (a) : (b))

#endif
