/*
 * wrap: where a line may break inside a printed table label, so a word is
 * never cut (结果维持, 总计, 自然人), for the renderers that lay out lines
 * themselves (PDF) or mark their lines (Word).
 *
 * A label's pieces are what lies between its break opportunities: spaces,
 * before an opening bracket, after a closing bracket or a pause mark
 * (、，：；/·), so brackets and marks stay with their word as the 避头尾
 * rules want. With `pairs` a longer run of ideographs of even length also
 * breaks between its two-character words (商业/企业, 社会/公益/组织): the
 * compounds of the national templates' labels; a run of three (自然人) or
 * of odd length stays whole.
 */
#ifndef DISCLOSED_REPORT_WRAP_H
#define DISCLOSED_REPORT_WRAP_H

#include <stdbool.h>
#include <stddef.h>

/* The byte offsets inside s where a line may break, ascending, at most
 * max of them; returns how many. */
size_t wrap_cuts(const char *s, bool pairs, size_t *cut, size_t max);

/* Width of n bytes of s in ems: an ideograph or full-width mark 1, ASCII 0.5
 * (the proportions of the 公文 fonts). */
double wrap_ems(const char *s, size_t n);

#endif
