/* unit.h - the unit tests' tiny harness: TEST(name) { CHECK(...); } and
 * RUN(name) in main; prints "PASS name" / "FAIL name: where" lines that
 * tests/run.sh counts. */
#ifndef CHAPBOOK_TEST_HARNESS_H
#define CHAPBOOK_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int check_failed_;
static int check_total_failed_;

#define TEST(name) static void name(void)
#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			if (!check_failed_)                                \
				printf("  %s:%d: CHECK(%s)\n", __FILE__,   \
				       __LINE__, #cond);                   \
			check_failed_ = 1;                                 \
		}                                                          \
	} while (0)
#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *a_ = (a), *b_ = (b);                           \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                   \
			if (!check_failed_)                                \
				printf("  %s:%d: \"%s\" != \"%s\"\n",      \
				       __FILE__, __LINE__,                 \
				       a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			check_failed_ = 1;                                 \
		}                                                          \
	} while (0)
#define RUN(name)                                                          \
	do {                                                               \
		check_failed_ = 0;                                         \
		name();                                                    \
		printf("%s %s\n", check_failed_ ? "FAIL" : "PASS", #name); \
		check_total_failed_ |= check_failed_;                      \
	} while (0)
#define CHECK_EXIT() return check_total_failed_ ? 1 : 0

#endif
