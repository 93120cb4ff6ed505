/* pagez.c - owns compressing a PDF's page contents on a thread of its own
 * while the writer draws the next page: one page in flight at a time, its
 * zlib bytes given back in page order, for the writer to hand to libharu
 * (which only the writer's thread touches) and to the /ID in that order.
 * A long booklet's pages cost a fifth of their drawing to compress; this
 * takes it off the writer's thread. */
#include "render/pdf/pagez.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>

struct pagez {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct libdeflate_compressor *c;   /* the thread's own */
	buf in;                 /* the page given, while pending */
	int tag;
	int pending;            /* given, not yet compressed */
	int ready;              /* compressed, not yet taken */
	int quit;
	unsigned char *z;
	size_t zn;
};

static void *pagez_run(void *arg)
{
	pagez *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->pending && !p->quit)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->pending)
			break;
		pthread_mutex_unlock(&p->mu);
		/* the page is the thread's alone until it is ready */
		size_t cap = libdeflate_zlib_compress_bound(p->c, p->in.len);
		unsigned char *z = malloc(cap ? cap : 1);
		size_t n = z ? libdeflate_zlib_compress(p->c, p->in.data ? p->in.data
							: "", p->in.len, z, cap)
			     : 0;
		pthread_mutex_lock(&p->mu);
		p->z = z;
		p->zn = n;
		p->pending = 0;
		p->ready = 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

pagez *pagez_start(int level)
{
	pagez *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->c = libdeflate_alloc_compressor(level);
	if (!p->c) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->thread, NULL, pagez_run, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		libdeflate_free_compressor(p->c);
		free(p);
		return NULL;
	}
	return p;
}

void pagez_give(pagez *p, buf *ops, int tag)
{
	pthread_mutex_lock(&p->mu);
	buf idle = p->in;
	p->in = *ops;
	idle.len = 0;
	*ops = idle;
	p->tag = tag;
	p->pending = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

int pagez_take(pagez *p, unsigned char **z, size_t *zn, int *tag)
{
	pthread_mutex_lock(&p->mu);
	while (p->pending)
		pthread_cond_wait(&p->cv, &p->mu);
	int had = p->ready;
	if (had) {
		*z = p->z;
		*zn = p->zn;
		*tag = p->tag;
		p->z = NULL;
		p->ready = 0;
	}
	pthread_mutex_unlock(&p->mu);
	return had;
}

void pagez_stop(pagez *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	free(p->z);
	buf_free(&p->in);
	libdeflate_free_compressor(p->c);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
