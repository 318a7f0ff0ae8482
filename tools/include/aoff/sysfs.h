// SPDX-License-Identifier: Apache-2.0
/*
 * The asyncoff devices' sysfs attributes for the tools and the selftests:
 * one reader and one writer instead of a copy in each.  Header-only (static
 * inline), as every selftest is a single-file program; tools/include/ is
 * the user-space tree's shared include directory (as the kernel's
 * tools/include/), on the include path of tools/ and selftests/.
 *
 * A device is "asyncoffN" or "/dev/asyncoffN"; its attributes are under
 * $AOFF_SYSFS/<device>/, /sys/class/misc/<device>/ without AOFF_SYSFS
 * (asyncoffctl's tests point it at a fake tree).  The names are listed in
 * kmod/sysfs_attrs.h.
 */
#ifndef AOFF_TOOLS_SYSFS_H
#define AOFF_TOOLS_SYSFS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The directory holding the devices. */
static inline const char *aoff_attr_root(void)
{
	const char *r = getenv("AOFF_SYSFS");

	return r ? r : "/sys/class/misc";
}

/* <root>/<device>/<attr>, the device's directory name from @dev's last '/'. */
static inline void aoff_attr_path(char *buf, size_t len, const char *dev,
				  const char *attr)
{
	const char *base = strrchr(dev, '/');

	snprintf(buf, len, "%s/%s/%s", aoff_attr_root(), base ? base + 1 : dev,
		 attr);
}

/*
 * Reads an attribute into @buf, trailing newline and blanks removed: 0 or
 * -errno.
 */
static inline int aoff_attr_read(const char *dev, const char *attr, char *buf,
				 size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	aoff_attr_path(path, sizeof(path), dev, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	return 0;
}

/* Writes @val (one write(2), as sysfs wants): 0 or -errno. */
static inline int aoff_attr_write(const char *dev, const char *attr,
				  const char *val)
{
	char path[512];
	ssize_t n;
	int fd;

	aoff_attr_path(path, sizeof(path), dev, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

/* A numeric attribute; -1 when it cannot be read. */
static inline long long aoff_attr_get(const char *dev, const char *attr)
{
	char buf[64];

	if (aoff_attr_read(dev, attr, buf, sizeof(buf)) || !buf[0])
		return -1;
	return strtoll(buf, NULL, 10);
}

/* Writes a number: 0 or -errno. */
static inline int aoff_attr_set(const char *dev, const char *attr,
				long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return aoff_attr_write(dev, attr, buf);
}

#endif /* AOFF_TOOLS_SYSFS_H */
