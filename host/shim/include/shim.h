/*
 * shim.h: the FreeBSD shim, force-included (cc -include) into
 * host/host_freebsd.c when it is built for Linux by "make check-live".
 * The headers beside it mirror the FreeBSD declarations host_freebsd.c
 * uses (shapes copied from FreeBSD 13.5's /usr/include, the sysroot of
 * "make freebsd-check", which also holds them against it through
 * tests/tools/shim-abi.c; each names its source); the files of host/shim/
 * implement them over the kernel model (host/kmodel.h) of a captured
 * host.
 *
 * The calls below exist on Linux too but must reach the model: they are
 * renamed here, before any system header, so that their declarations and
 * every call in host_freebsd.c become shim_NAME.  Function-like macros
 * leave struct members of the same name (host_ops.close) alone.  No
 * system header may be included here.
 */
#ifndef PTVM_SHIM_H
#define PTVM_SHIM_H

/* /dev/pci and /dev/mem are the model's; other paths are files. */
#define open(...)		shim_open(__VA_ARGS__)
#define close(fd)		shim_close(fd)
#define ioctl(...)		shim_ioctl(__VA_ARGS__)
#define pread(...)		shim_pread(__VA_ARGS__)
/* The terminal is DIR/tty's; waiting takes no time, as under -H. */
#define ttyname_r(...)		shim_ttyname_r(__VA_ARGS__)
#define nanosleep(...)		shim_nanosleep(__VA_ARGS__)
/* Programs are DIR/bin's stand-ins (PTVM_STANDINS=1 only). */
#define access(...)		shim_access(__VA_ARGS__)
#define sys_spawn_wait(...)	shim_spawn_wait(__VA_ARGS__)
#define sys_spawn_output(...)	shim_spawn_output(__VA_ARGS__)
#define sys_spawn_fd(...)	shim_spawn_fd(__VA_ARGS__)
/* /dev/vmm is the model's; a file under ROOT/dev stands for a device. */
#define sys_dir_list(...)	shim_dir_list(__VA_ARGS__)
#define sys_stat(...)		shim_stat(__VA_ARGS__)
/* The clock is the captured host's (host_capture_clock() replaces it). */
#define hs_mono_ms(...)		shim_mono_ms(__VA_ARGS__)
#define hs_sleep_ms(...)	shim_sleep_ms(__VA_ARGS__)
/*
 * The network is DIR/reach.txt's, as under -H: the guest's address is
 * never connected to (tests touch nothing but loopback).
 */
#define connect(...)		shim_connect(__VA_ARGS__)
/* A file installed under ROOT is journaled, as under -H. */
#define sys_write_atomic(...)	shim_write_atomic(__VA_ARGS__)

/* sys/errno.h: FreeBSD's "inappropriate file type or format". */
#define EFTYPE			79

#endif /* PTVM_SHIM_H */
