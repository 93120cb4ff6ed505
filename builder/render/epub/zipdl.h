/* zipdl.h - libzip, loaded on the first EPUB zipped instead of at every
 * start (see zipdl.c). */
#ifndef CHAPBOOK_ZIPDL_H
#define CHAPBOOK_ZIPDL_H

#include <stddef.h>
#include <zip.h>

/* The libzip functions the EPUB writer calls, by their names without the
 * zip_ prefix. */
#define ZIPDL_FUNCS(X) \
	X(error_init) X(error_fini) X(error_set) X(error_code_zip) \
	X(error_strerror) X(get_error) X(source_buffer_create) \
	X(open_from_source) X(source_keep) X(source_buffer) X(file_add) \
	X(source_free) X(set_file_compression) X(file_set_dostime) \
	X(file_set_external_attributes) X(close) X(discard) X(source_open) \
	X(source_seek) X(source_tell) X(source_read) X(source_error) \
	X(source_close) X(source_function) X(stat_init) X(error_to_data)

typedef struct zipdl_api {
#define ZIPDL_MEMBER(name) __typeof__(zip_##name) *name;
	ZIPDL_FUNCS(ZIPDL_MEMBER)
#undef ZIPDL_MEMBER
} zipdl_api;

/* libzip's functions, the library loaded on the first call (thread-safe);
 * NULL with a message in err when it cannot be loaded. */
const zipdl_api *zipdl_load(char *err, size_t errlen);

#endif
