# FreeBSD 14: base-system libraries only.
PLATFORM_CFLAGS=
PLATFORM_LIBS=		-ldevctl -lutil
XML_LIBS=		-lbsdxml
HOST_LIVE_SRCS=		host/host_freebsd.c host/host_freebsd_rom.c
ATF_SH=			/usr/libexec/atf-sh
