/*
 * sys/linker.h for the FreeBSD shim: the kld(2) calls of FreeBSD's
 * sys/sys/linker.h; host/shim/kern.c implements them over the model.
 */
#ifndef PTVM_SHIM_SYS_LINKER_H
#define PTVM_SHIM_SYS_LINKER_H

int	kldload(const char *_file);
int	kldunload(int _fileid);
int	kldfind(const char *_file);

#endif /* PTVM_SHIM_SYS_LINKER_H */
