/*
 * hostsys.h: the engine's operations of both hosts (hostsys.c), private
 * to host/.  HOSTSYS_OPS fills an ops table with all of them but fd_poll,
 * now and sleep, which each host gives itself.
 */
#ifndef PTVM_HOSTSYS_H
#define PTVM_HOSTSYS_H

#include "host.h"

int	hs_st_read(struct host *, const char *, size_t, char **, size_t *);
int	hs_st_write(struct host *, const char *, const void *, size_t, int,
	    int);
int	hs_st_list(struct host *, const char *, char ***, size_t *);
int	hs_st_stat(struct host *, const char *, struct host_stat *);
int	hs_st_mkdir(struct host *, const char *, int);
int	hs_st_remove(struct host *, const char *);
/*
 * dir_make and file_remove of both hosts, on a path they resolved: mkdir
 * -p with the last directory's mode (EEXIST: there and not a directory,
 * never through a link), unlink of a file (EISDIR for a directory).
 */
int	hs_path_mkdir(char *, int);
int	hs_path_remove(const char *);
int	hs_st_open(struct host *, const char *, int, int, int *);
int	hs_st_append(struct host *, const char *, int, int *);
int	hs_st_lock(struct host *, const char *, int *);
int	hs_pid_open(struct host *, const char *, int, void **, int *);
int	hs_pid_write(struct host *, void *);
void	hs_pid_close(struct host *, void *, bool);
int	hs_pid_held(struct host *, const char *, int *);
void	hs_pid_wait(struct host *, const char *, unsigned);
ssize_t	hs_fd_read(struct host *, int, void *, size_t);
ssize_t	hs_fd_write(struct host *, int, const void *, size_t);
ssize_t	hs_fd_pread(struct host *, int, void *, size_t, int64_t);
ssize_t	hs_fd_pwrite(struct host *, int, const void *, size_t, int64_t);
int	hs_fd_stat(struct host *, int, struct host_stat *);
int	hs_fd_truncate(struct host *, int, int64_t);
int	hs_fd_close(struct host *, int);
int	hs_fd_pipe(struct host *, int [2], bool);
int	hs_fd_poll(struct host *, struct pollfd *, size_t, int);
int	hs_proc_signal(struct host *, int, int);
int	hs_proc_reap(struct host *, int *, int *);
int	hs_proc_self(struct host *);
int	hs_sig_catch(struct host *, const int *, size_t, int *);
int	hs_daemonize(struct host *, int (*)(void *, int), void *, int *);
int	hs_exec(struct host *, const char *, char *const *);
int	hs_sock_listen(struct host *, const char *, int *);
int	hs_sock_accept(struct host *, int, int *);
int	hs_sock_connect(struct host *, const char *, int *);
ssize_t	hs_sock_send(struct host *, int, const void *, size_t);
ssize_t	hs_sock_recv(struct host *, int, void *, size_t);
/* The clock itself, for the hosts' own now and sleep. */
int64_t	hs_mono_ms(void);
void	hs_sleep_ms(unsigned);
int64_t	hs_now(struct host *);
int64_t	hs_wall(struct host *);
int	hs_tzoff(struct host *, int64_t);
void	hs_sleep(struct host *, unsigned);
int	hs_lf_read(struct host *, const char *, size_t, char **, size_t *);
int	hs_lf_write(struct host *, const char *, const void *, size_t, int,
	    int);
int	hs_lf_stat(struct host *, const char *, bool, struct host_stat *);
int	hs_lf_list(struct host *, const char *, char ***, size_t *);
int	hs_lf_mkdir(struct host *, const char *, int, bool);
int	hs_lf_map(struct host *, const char *, size_t, const uint8_t **,
	    size_t *);
void	hs_lf_unmap(struct host *, const uint8_t *, size_t);
int	hs_lf_realpath(struct host *, const char *, char *, size_t);

#define HOSTSYS_OPS \
	.st_read = hs_st_read, \
	.st_write = hs_st_write, \
	.st_list = hs_st_list, \
	.st_stat = hs_st_stat, \
	.st_mkdir = hs_st_mkdir, \
	.st_remove = hs_st_remove, \
	.st_open = hs_st_open, \
	.st_append = hs_st_append, \
	.st_lock = hs_st_lock, \
	.pid_open = hs_pid_open, \
	.pid_write = hs_pid_write, \
	.pid_close = hs_pid_close, \
	.pid_held = hs_pid_held, \
	.pid_wait = hs_pid_wait, \
	.fd_read = hs_fd_read, \
	.fd_write = hs_fd_write, \
	.fd_pread = hs_fd_pread, \
	.fd_pwrite = hs_fd_pwrite, \
	.fd_stat = hs_fd_stat, \
	.fd_truncate = hs_fd_truncate, \
	.fd_close = hs_fd_close, \
	.fd_pipe = hs_fd_pipe, \
	.proc_signal = hs_proc_signal, \
	.proc_reap = hs_proc_reap, \
	.proc_self = hs_proc_self, \
	.sig_catch = hs_sig_catch, \
	.daemonize = hs_daemonize, \
	.exec = hs_exec, \
	.sock_listen = hs_sock_listen, \
	.sock_accept = hs_sock_accept, \
	.sock_connect = hs_sock_connect, \
	.sock_send = hs_sock_send, \
	.sock_recv = hs_sock_recv, \
	.wall = hs_wall, \
	.tzoff = hs_tzoff, \
	.lf_read = hs_lf_read, \
	.lf_write = hs_lf_write, \
	.lf_stat = hs_lf_stat, \
	.lf_list = hs_lf_list, \
	.lf_mkdir = hs_lf_mkdir, \
	.lf_map = hs_lf_map, \
	.lf_unmap = hs_lf_unmap, \
	.lf_realpath = hs_lf_realpath,

#endif /* PTVM_HOSTSYS_H */
