/*
 * sysutil.h: the portable helpers of host/sysutil.c, private to host/
 * (and its tests): nothing in engine/ or src/ calls them; they reach the
 * system through the host's ops (host.h).
 */
#ifndef PTVM_SYSUTIL_H
#define PTVM_SYSUTIL_H

#include "host.h"

/*
 * Portable helpers (host/sysutil.c), used by both implementations.
 * Every file ptvm writes goes through sys_write_file() (or
 * sys_atomic_open() and sys_atomic_commit()), every log it appends to
 * through sys_open_append(), every file it reads through sys_open_read()
 * or sys_read_file().
 */
int	sys_open_read(const char *, int *);
int	sys_read_file(const char *, size_t, char **, size_t *);
int	sys_open_append(const char *, int, int *);
int	sys_write_file(const char *, const void *, size_t, int, int);
int	sys_write_atomic(const char *, const char *, size_t, int);
int	sys_atomic_open(const char *, char *, size_t, int *);
int	sys_atomic_commit(int, const char *, const char *, int, int, int);
int	sys_mkdir_p(const char *, int);
unsigned sys_timeout_ms(unsigned);
int	sys_spawn_wait(const char *, char *const *, int, unsigned,
	    struct host_proc *);
int	sys_spawn_output(const char *, char *const *, size_t, unsigned,
	    struct host_proc *, char **, size_t *);
int	sys_spawn_fd(const char *, char *const *, int, int *);
bool	sys_pid_alive(int);
int	sys_stat(const char *, bool, struct host_stat *);
int	sys_dir_list(const char *, char ***, size_t *);

#endif /* PTVM_SYSUTIL_H */
