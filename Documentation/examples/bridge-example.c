// SPDX-License-Identifier: Apache-2.0
/*
 * bridge-example: how an engine or provider uses the asyncoff bridge, and
 * how an application drives the async jobs that call it.
 *
 * The "provider" part is offload_sha256(): it runs inside whatever
 * called it — an async job or plain code — and never needs to know which:
 * the bridge pauses the job, or sleeps when there is none.  Every job's
 * digest must equal the one computed synchronously, and the program says
 * so (exit status 1 otherwise).
 *
 * The "application" part starts J jobs, each with its own ASYNC_WAIT_CTX,
 * and waits the way `openssl speed` does: ASYNC_WAIT_CTX_get_all_fds() and
 * poll() on every paused job's fd, resuming the readable ones.  With
 * --callback it uses ASYNC_WAIT_CTX_set_callback() instead and runs the
 * bridge's dispatcher in its loop.
 *
 * Build (the async runtime; use -lcrypto and drop the runtime's include
 * path to run on libcrypto's ASYNC implementation instead):
 *   cc -I include -I include/uapi -I include/async-runtime \
 *      Documentation/examples/bridge-example.c \
 *      -L build/lib -lasyncoff -lasyncoff-async -o bridge-example
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/async.h>
#include <asyncoff/bridge.h>

/* ---- the provider side ------------------------------------------------ */

/* SHA-256 of @len bytes of @in into @digest, on the device.  0 or a
 * negative errno. */
static int offload_sha256(const void *in, size_t len,
			  unsigned char digest[AOFF_SHA256_DIGEST_SIZE])
{
	struct aoff_bridge_ctx *bc;
	struct aoff_sqe sqe;
	struct aoff_ctx *dc;
	int64_t off;
	int32_t res;
	int ret;

	/* The current job's wait ctx's device context (opened and
	 * registered on first use), or this thread's outside a job. */
	bc = aoff_bridge_get();
	if (!bc)
		return -errno;
	dc = aoff_bridge_dev(bc);

	/* The device reads and writes only its data area: the input, then
	 * room for the digest. */
	off = aoff_data_alloc(dc, len + AOFF_SHA256_DIGEST_SIZE);
	if (off < 0)
		return (int)off;
	memcpy(aoff_data_ptr(dc, (uint64_t)off), in, len);

	memset(&sqe, 0, sizeof(sqe));
	aoff_prep_sha256(&sqe, 0, (uint64_t)off, (uint32_t)len,
			 (uint64_t)off + len);

	/* Submit; pause the job until the device completes (fd readable or
	 * callback); reap on resume.  Synchronous outside a job. */
	ret = aoff_bridge_run(bc, &sqe, 1, &res);
	if (!ret && res != AOFF_SHA256_DIGEST_SIZE)
		ret = res < 0 ? res : -EIO;
	if (!ret)
		memcpy(digest, aoff_data_ptr(dc, (uint64_t)off + len),
		       AOFF_SHA256_DIGEST_SIZE);

	aoff_data_free(dc, (uint64_t)off);
	return ret;
}

/* ---- the application side -------------------------------------------- */

static const char message[] = "asyncoff: one digest per job";
static unsigned char expected[AOFF_SHA256_DIGEST_SIZE];

struct job {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *w;
	int ret, done, woken;
};

static int job_main(void *unused)
{
	unsigned char digest[AOFF_SHA256_DIGEST_SIZE];

	(void)unused;
	if (offload_sha256(message, strlen(message), digest))
		return 0;
	return !memcmp(digest, expected, sizeof(digest));
}

static int on_complete(void *p)
{
	((struct job *)p)->woken = 1;	/* small and non-blocking */
	return 1;
}

int main(int argc, char **argv)
{
	int callback = argc > 1 && !strcmp(argv[1], "--callback");
	enum { J = 8, OPS = 4 };
	struct aoff_bridge_opts bo = { .sz = sizeof(bo) };
	struct job jobs[J];
	int i, left, pauses = 0;

	/* Callback mode: this loop runs the dispatcher (no library thread). */
	bo.flags = AOFF_BRIDGE_F_NO_THREAD;
	aoff_bridge_init(&bo);
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < J; i++) {
		jobs[i].w = ASYNC_WAIT_CTX_new();
		if (callback)
			ASYNC_WAIT_CTX_set_callback(jobs[i].w, on_complete,
						    &jobs[i]);
	}

	/* Outside a job the same code runs synchronously. */
	if (offload_sha256(message, strlen(message), expected)) {
		fprintf(stderr, "synchronous call failed\n");
		return 1;
	}
	printf("synchronous call: sha256 = ");
	for (i = 0; i < AOFF_SHA256_DIGEST_SIZE; i++)
		printf("%02x", expected[i]);
	printf("\n");

	do {
		struct pollfd pfd[J];
		int np = 0;

		left = 0;
		for (i = 0; i < J; i++) {
			struct job *j = &jobs[i];

			if (j->done == OPS)
				continue;
			if (!j->job || j->woken) {
				j->woken = 0;
				switch (ASYNC_start_job(&j->job, j->w, &j->ret,
							job_main, NULL, 0)) {
				case ASYNC_FINISH:
					j->job = NULL;
					if (j->ret != 1) {
						fprintf(stderr, "job %d: failed or "
							"wrong digest\n", i);
						return 1;
					}
					j->done++;
					i--;	/* start its next operation */
					continue;
				case ASYNC_PAUSE:
					pauses++;
					break;
				default:
					fprintf(stderr, "ASYNC_start_job failed\n");
					return 1;
				}
			}
			left++;
			if (!callback) {
				OSSL_ASYNC_FD fd;
				size_t n = 1;

				/* openssl speed: exactly one fd per job. */
				ASYNC_WAIT_CTX_get_all_fds(j->w, &fd, &n);
				pfd[np].fd = fd;
				pfd[np++].events = POLLIN;
			}
		}
		if (!left)
			break;
		if (callback) {
			aoff_bridge_dispatch(1000);	/* calls on_complete */
		} else {
			poll(pfd, np, 1000);
			for (i = 0, np = 0; i < J; i++)
				if (jobs[i].job && jobs[i].done < OPS)
					jobs[i].woken = !!pfd[np++].revents;
		}
	} while (left);

	printf("%d jobs x %d operations in %s mode, %d pauses\n", J, OPS,
	       callback ? "callback" : "fd", pauses);
	for (i = 0; i < J; i++)
		ASYNC_WAIT_CTX_free(jobs[i].w);	/* closes the contexts */
	aoff_bridge_cleanup();
	ASYNC_cleanup_thread();
	return 0;
}
