/*
 * devctl.h for the FreeBSD shim: libdevctl's calls of FreeBSD's
 * lib/libdevctl/devctl.h that host_freebsd.c uses (host/shim/kern.c).
 * Each returns 0, or -1 with errno set from DEV_* of devctl2_ioctl.
 */
#ifndef PTVM_SHIM_DEVCTL_H
#define PTVM_SHIM_DEVCTL_H

#include <stdbool.h>

int	devctl_attach(const char *device);
int	devctl_detach(const char *device, bool force);
int	devctl_set_driver(const char *device, const char *driver, bool force);
int	devctl_clear_driver(const char *device, bool force);
int	devctl_rescan(const char *device);

#endif /* PTVM_SHIM_DEVCTL_H */
