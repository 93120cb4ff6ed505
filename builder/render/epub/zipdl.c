/* zipdl.c - libzip, loaded with dlopen when the first EPUB is zipped rather
 * than linked: Debian's libzip brings libcrypto, libbz2 and liblzma with
 * it, and resolving their symbols was two thirds of the start-up of every
 * run, `chapbook check` and PDF-only builds included, which never write a
 * zip (README "Speed"). The soname is the one the build linked against
 * (zipsoname.h, written by make). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "render/epub/zipdl.h"
#include "zipsoname.h"

static zipdl_api zipdl_fns;
static char zipdl_err[256];
static int zipdl_ok;
static pthread_once_t zipdl_once = PTHREAD_ONCE_INIT;

static void zipdl_open(void)
{
	void *h = dlopen(ZIPDL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(zipdl_err, sizeof zipdl_err, "cannot load %s: %s",
			 ZIPDL_SONAME, e ? e : "unknown error");
		return;
	}
	/* a function pointer from dlsym's object pointer, the way POSIX
	 * shows it (by its bytes) */
#define ZIPDL_SYM(name) \
	{ \
		void *p = dlsym(h, "zip_" #name); \
		if (!p) { \
			snprintf(zipdl_err, sizeof zipdl_err, \
				 "%s has no zip_%s", ZIPDL_SONAME, #name); \
			return; \
		} \
		memcpy(&zipdl_fns.name, &p, sizeof p); \
	}
	ZIPDL_FUNCS(ZIPDL_SYM)
#undef ZIPDL_SYM
	zipdl_ok = 1;   /* the handle stays open for the process */
}

const zipdl_api *zipdl_load(char *err, size_t errlen)
{
	pthread_once(&zipdl_once, zipdl_open);
	if (zipdl_ok)
		return &zipdl_fns;
	snprintf(err, errlen, "%s", zipdl_err);
	return NULL;
}
