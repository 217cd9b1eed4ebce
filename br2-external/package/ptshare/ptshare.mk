################################################################################
#
# ptshare
#
################################################################################

# The package is this source tree, the one that holds this external tree.
PTSHARE_VERSION = 1.3
PTSHARE_SITE = $(BR2_EXTERNAL_PTSHARE_PATH)/..
PTSHARE_SITE_METHOD = local
# What a build in the source tree left (the host's tool, modules built for the
# host's kernel) is not copied: Buildroot builds its own.
PTSHARE_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = --exclude /out --exclude /br2-external \
	--exclude /tools/ptshare --exclude '*.o' --exclude '*.ko' --exclude '*.mod' \
	--exclude '*.mod.c' --exclude '.*.cmd' --exclude Module.symvers \
	--exclude modules.order
PTSHARE_LICENSE = GPL-2.0

# module/ through the top-level Kbuild; the test helper modules too
PTSHARE_MODULE_SUBDIRS = .
ifeq ($(BR2_PACKAGE_PTSHARE_SELFTESTS),y)
PTSHARE_MODULE_SUBDIRS += selftests/ptshare/vmtest
endif

define PTSHARE_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_DEBUG_FS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_KPROBES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_KALLSYMS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_KALLSYMS_ALL)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULE_UNLOAD)
endef

define PTSHARE_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D)/tools CC="$(TARGET_CC)" \
		CFLAGS="$(TARGET_CFLAGS)" LDFLAGS="$(TARGET_LDFLAGS)" \
		O=$(@D)/tool-build
	$(if $(BR2_PACKAGE_PTSHARE_SELFTESTS),
		$(TARGET_MAKE_ENV) $(MAKE) -C $(@D)/selftests/ptshare \
			CC="$(TARGET_CC)" CFLAGS="$(TARGET_CFLAGS)" \
			LDFLAGS="$(TARGET_LDFLAGS)" O=$(@D)/selftests-build)
endef

define PTSHARE_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/tool-build/ptshare $(TARGET_DIR)/usr/bin/ptshare
	$(if $(BR2_PACKAGE_PTSHARE_SELFTESTS),
		mkdir -p $(TARGET_DIR)/usr/lib/ptshare/selftests/tests
		cp -a $(@D)/selftests-build/. $(TARGET_DIR)/usr/lib/ptshare/selftests/tests/
		$(INSTALL) -m 0755 $(@D)/selftests/ptshare/run_tests.sh \
			$(TARGET_DIR)/usr/lib/ptshare/selftests/run_tests.sh)
endef

$(eval $(kernel-module))
$(eval $(generic-package))
