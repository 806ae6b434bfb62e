/*
 * sys/module.h for the FreeBSD shim: modfind(2) of FreeBSD's
 * sys/sys/module.h (host/shim/kern.c).
 */
#ifndef PTVM_SHIM_SYS_MODULE_H
#define PTVM_SHIM_SYS_MODULE_H

int	modfind(const char *_name);

#endif /* PTVM_SHIM_SYS_MODULE_H */
