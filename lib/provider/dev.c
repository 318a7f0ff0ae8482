// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: requests to the device through the bridge, and the
 * errors that name what went wrong.
 */
#include <errno.h>
#include <string.h>

#include "prov.h"

int aoff_dev_get(struct aoff_dev *d)
{
	d->bc = aoff_bridge_get();
	if (!d->bc) {
		int err = errno;

		if (err == ENOENT || err == ENXIO || err == ENODEV)
			AOFF_RAISE(AOFF_R_NO_DEVICE,
				   "%s: %s (is the asyncoff module loaded?)",
				   aoff_prov_cfg.device, strerror(err));
		else
			AOFF_RAISE(AOFF_R_NO_DEVICE, "%s: %s",
				   aoff_prov_cfg.device, strerror(err));
		return 0;
	}
	d->dc = aoff_bridge_dev(d->bc);
	return 1;
}

int aoff_dev_alloc(struct aoff_dev *d, size_t fixed, size_t want,
		   size_t unit, uint64_t *off, size_t *got)
{
	size_t room = aoff_data_size(d->dc);
	size_t n;
	int64_t o;

	/* The allocator rounds every block up to 64 bytes. */
	n = room > fixed + 64 ? room - fixed - 64 : 0;
	if (n > want)
		n = want;
	n -= n % unit;
	for (;;) {
		if (!n && want) {
			AOFF_RAISE(AOFF_R_DATA_AREA,
				   "%zu bytes do not fit the %zu-byte data area",
				   fixed + unit, room);
			return 0;
		}
		o = aoff_data_alloc(d->dc, fixed + n);
		if (o >= 0)
			break;
		if (!want) {
			AOFF_RAISE(AOFF_R_DATA_AREA,
				   "%zu bytes do not fit the %zu-byte data area",
				   fixed, room);
			return 0;
		}
		/* Someone else's blocks (another stream): try smaller. */
		n = (n / 2) - (n / 2) % unit;
	}
	*off = (uint64_t)o;
	*got = n;
	return 1;
}

int aoff_dev_run(struct aoff_dev *d, const struct aoff_sqe *sqes,
		 unsigned int nr, int32_t *res, const char *what,
		 int quiet_errno)
{
	int ret = aoff_bridge_run(d->bc, sqes, nr, res);

	if (!ret)
		return 1;
	if (ret == -ECANCELED || (ret == -EIO && aoff_ctx_broken(d->dc))) {
		AOFF_RAISE(AOFF_R_DEVICE_RESET,
			   "%s: %s was reset while the request was in flight",
			   what, aoff_prov_cfg.device);
		return 0;
	}
	if (quiet_errno && ret == -quiet_errno)
		return 0;
	AOFF_RAISE(AOFF_R_DEVICE_ERROR, "%s on %s: %s", what,
		   aoff_prov_cfg.device, strerror(-ret));
	return 0;
}
