# Debian 12: FreeBSD's libutil/strtonum/queue.h come from libbsd's overlay,
# libbsdxml is expat under its own name.
PLATFORM_CFLAGS=	-isystem /usr/include/bsd -DLIBBSD_OVERLAY
PLATFORM_LIBS=		-lbsd
XML_LIBS=		-lexpat
HOST_LIVE_SRCS=		host/host_live_none.c host/host_rom_none.c
ATF_SH=			/usr/bin/atf-sh
