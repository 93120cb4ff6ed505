/* test_hash.c - FNV-1a and the hash table (builder/base/hash.c). */
#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "unit.h"

static int str_eq(const void *entry, const void *key)
{
	return strcmp(entry, key) == 0;
}

TEST(fnv1a_known_values)
{
	/* published FNV-1a 64 test vectors */
	CHECK(hash_str("") == 0xcbf29ce484222325ULL);
	CHECK(hash_str("a") == 0xaf63dc4c8601ec8cULL);
	CHECK(hash_str("foobar") == 0x85944171f73967e8ULL);
	unsigned char le[8] = {0x2A, 0, 0, 0, 0, 0, 0, 0};
	CHECK(hash_u64(HASH_SEED, 42) == hash_bytes(HASH_SEED, le, 8));
}

TEST(put_get_grow)
{
	static char keys[5000][16];
	hmap m = {0};
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		CHECK(hmap_put(&m, hash_str(keys[i]), keys[i]) == 0);
	}
	CHECK(m.n == 5000 && m.cap >= 10000);
	int found = 0;
	for (int i = 0; i < 5000; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		found += hmap_get(&m, hash_str(k), str_eq, k) == keys[i];
	}
	CHECK(found == 5000);
	CHECK(hmap_get(&m, hash_str("k5000"), str_eq, "k5000") == NULL);
	hmap_free(&m);
	CHECK(hmap_get(&m, hash_str("k1"), str_eq, "k1") == NULL);
}

static void count(void *entry, void *ctx)
{
	(void)entry;
	++*(int *)ctx;
}

TEST(collisions_and_each)
{
	/* every entry under one hash: found by equality alone */
	hmap m = {0};
	const char *k[] = {"x", "y", "z"};
	for (int i = 0; i < 3; i++)
		CHECK(hmap_put(&m, 7, (void *)k[i]) == 0);
	CHECK(hmap_get(&m, 7, str_eq, "y") == k[1]);
	CHECK(hmap_get(&m, 7, str_eq, "w") == NULL);
	int n = 0;
	hmap_each(&m, count, &n);
	CHECK(n == 3);
	hmap_free(&m);
}

int main(void)
{
	RUN(fnv1a_known_values);
	RUN(put_get_grow);
	RUN(collisions_and_each);
	CHECK_EXIT();
}
