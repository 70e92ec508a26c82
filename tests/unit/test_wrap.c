/* Line breaks inside printed table labels: never inside a word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wrap.h"

/* The label's pieces joined by '|'. */
static const char *pieces(const char *s, bool pairs)
{
	static char out[512];
	size_t cut[64], n = wrap_cuts(s, pairs, cut, 64), from = 0, len = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t to = i < n ? cut[i] : strlen(s);
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%.*s", i ? "|" : "",
					(int)(to - from), s + from);
		from = to;
	}
	return out;
}

static void test_words_stay_whole(void **state)
{
	(void)state;
	assert_string_equal(pieces("结果维持", false), "结果维持");
	assert_string_equal(pieces("自然人", true), "自然人");
	assert_string_equal(pieces("总计", true), "总计");
	assert_string_equal(pieces("本年度办理结果", true), "本年度办理结果");
}

static void test_marks_stay_with_their_word(void **state)
{
	(void)state;
	assert_string_equal(pieces("（三）不予公开", false), "（三）|不予公开");
	assert_string_equal(pieces("三、本年度办理结果", false), "三、|本年度办理结果");
	assert_string_equal(pieces("本年收费金额（单位：万元）", false), "本年收费金额|（单位：|万元）");
}

static void test_pairs_break_between_two_character_words(void **state)
{
	(void)state;
	assert_string_equal(pieces("社会公益组织", true), "社会|公益|组织");
	assert_string_equal(pieces("结果维持", true), "结果|维持");
	assert_string_equal(pieces("（三）不予公开", true), "（三）|不予|公开");
}

static void test_ems(void **state)
{
	(void)state;
	assert_true(wrap_ems("自然人", 100) == 3.0);
	assert_true(wrap_ems("12.3", 100) == 2.0);
	assert_true(wrap_ems("总计", 3) == 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_stay_whole),
		cmocka_unit_test(test_marks_stay_with_their_word),
		cmocka_unit_test(test_pairs_break_between_two_character_words),
		cmocka_unit_test(test_ems),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
