# SPDX-License-Identifier: GPL-2.0
#
# make                  module/ptshare.ko against KDIR, and tools/ptshare
# make module | tools   one of them
# make ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf- KDIR=...   cross build
# make install          modules_install into the running kernel's tree + tool into $(PREFIX)/bin
#                       + man page into $(PREFIX)/share/man/man1 (DESTDIR= as usual)
# make demo             build, boot a Debian kernel in QEMU, load, show a report
# make check            every test: host tests and all QEMU guest configurations
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
CC ?= gcc
TOOLS_CC ?= $(CROSS_COMPILE)$(if $(filter cc,$(CC)),gcc,$(CC))

.PHONY: all module tools install modules_install tools_install man_install demo check clean

all: module tools

module:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "ptshare: no kernel build tree at KDIR=$(KDIR)" >&2; \
		echo "ptshare: install the headers (apt-get install linux-headers-\$$(uname -r))" \
		     "or pass KDIR=/path/to/headers" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools CC="$(TOOLS_CC)"

modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

tools_install: tools
	install -D -m 0755 tools/ptshare $(DESTDIR)$(PREFIX)/bin/ptshare

man_install:
	install -D -m 0644 doc/ptshare.1 $(DESTDIR)$(PREFIX)/share/man/man1/ptshare.1

install: modules_install tools_install man_install

demo:
	scripts/demo.sh

check:
	scripts/run-tests.sh

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	$(MAKE) -C tools clean
