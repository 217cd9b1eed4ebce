# SPDX-License-Identifier: GPL-2.0
#
# Included by the local.mk that scripts/build-buildroot.sh writes into a
# Buildroot output directory. Buildroot reads local.mk after
# toolchain/helpers.mk, and expands check_unusable_toolchain only when the
# external toolchain's recipe runs, so this definition replaces Buildroot's.
#
# Why: Buildroot refuses a distribution's cross compiler by finding the
# configure option "--with-sysroot=/" in "gcc -v", where Debian's always has
# it, whatever --sysroot a wrapper passes. What it guards against is a
# compiler that takes headers and libraries from the build machine's /. So
# this check asks the compiler driver which sysroot it really uses
# (-print-sysroot) and refuses "/": Debian's bare cross gcc is still refused,
# the wrapper with a private sysroot (scripts/buildroot/gcc-wrapper.sh) is
# taken. Then, as Buildroot does, it wants a libc.a for the target's flags and
# a sysroot Buildroot can find.
check_unusable_toolchain = \
	cc=$(strip $1); cflags=$(strip $2); \
	sr=`$$cc -print-sysroot 2>/dev/null`; \
	if test -z "$$sr" || test "`readlink -f $$sr`" = "/"; then \
		echo "$$cc uses the build machine's / as its sysroot (-print-sysroot: '$$sr')."; \
		echo "A distribution's cross compiler needs a private sysroot: see scripts/build-buildroot.sh."; \
		exit 1; \
	fi; \
	if test "`$$cc $$cflags -print-file-name=libc.a`" = "libc.a"; then \
		echo "$$cc has no libc.a for the flags '$$cflags'."; \
		exit 1; \
	fi; \
	if test -z "$(call toolchain_find_sysroot,$$cc)"; then \
		echo "Buildroot cannot find the sysroot of $$cc."; \
		exit 1; \
	fi
