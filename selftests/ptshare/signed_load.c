// SPDX-License-Identifier: GPL-2.0
/*
 * Module signing, as DKMS does it for Secure Boot users: the project's MOK
 * key pair (scripts/mok-key.sh) signs the module with the kernel build's
 * sign-file, and a kernel that trusts the certificate (debug-amd64) loads it.
 *
 * $PTSHARE_KO is the signed module the guest loaded at boot,
 * $PTSHARE_UNSIGNED_KO the same module without its signature. The kernel
 * says whether it checks signatures (/proc/keys would need KEYS; the
 * module's own taint is the fact: 'E' marks a module loaded without a valid
 * signature where CONFIG_MODULE_SIG is on) and whether it is locked down
 * (/sys/kernel/security/lockdown). Checked:
 *
 *   - the signed module as loaded carries no 'E' taint: its signature was
 *     verified against a trusted key;
 *   - locked down (integrity or confidentiality): the unsigned copy is
 *     refused with EPERM, dmesg saying lockdown restricts unsigned module
 *     loading, and nothing is registered;
 *   - not locked down: the unsigned copy loads, tainted 'E';
 *   - the signed one loads again, untainted, its summary whole.
 *
 * Skips where the module's taint shows no signature checking at all (a
 * kernel without CONFIG_MODULE_SIG, or no unsigned copy to compare).
 */
#include "ptshare_test.h"

/* ptshare's taint flags ("OE", "O"), or "" when it is not loaded. */
static const char *module_taint(void)
{
	static char t[64];
	ssize_t n = pt_read_into("/sys/module/ptshare/taint", 16, t, sizeof(t));

	if (n < 0)
		t[0] = 0;
	t[strcspn(t, "\n")] = 0;
	return t;
}

int main(void)
{
	const char *ko = getenv("PTSHARE_KO"), *unsigned_ko = getenv("PTSHARE_UNSIGNED_KO");
	const char *level = pt_lockdown_level();
	char boot_taint[64], t[64];
	int locked = strcmp(level, "none") != 0, err;
	char *summary;

	if (!ko || !unsigned_ko)
		ksft_skip("PTSHARE_KO or PTSHARE_UNSIGNED_KO is not set: no unsigned copy here");
	snprintf(boot_taint, sizeof(boot_taint), "%s", module_taint());
	/* A kernel that checks no signatures never marks a module 'E'. */
	if (!locked && !strchr(boot_taint, 'E')) {
		if (pt_unload_module())
			ksft_bail("rmmod ptshare: %s", strerror(errno));
		err = pt_load_module(unsigned_ko, "");
		snprintf(t, sizeof(t), "%s", module_taint());
		if (!err)
			pt_unload_module();
		if (pt_load_module(ko, ""))
			ksft_bail("reload %s: %s", ko, strerror(errno));
		if (!err && !strchr(t, 'E'))
			ksft_skip("no signature checks (an unsigned module is not tainted 'E')");
	}
	ksft_plan(4);
	ksft_info("lockdown %s; ptshare loaded at boot with taint '%s'", level, boot_taint);

	ksft_result(*boot_taint && !strchr(boot_taint, 'E'),
		    "the signed module loaded at boot is not tainted 'E' ('%s'): its signature was verified",
		    boot_taint);
	ksft_result(pt_unload_module() == 0, "unloaded");

	err = pt_load_module(unsigned_ko, "");
	snprintf(t, sizeof(t), "%s", module_taint());
	if (locked)
		ksft_result(err == -EPERM && !*t &&
			    pt_dmesg_has("unsigned module loading is restricted"),
			    "lockdown %s: the unsigned copy is refused (%s), dmesg says why", level,
			    err ? strerror(-err) : "loaded");
	else
		ksft_result(!err && strchr(t, 'E'),
			    "not locked down: the unsigned copy loads, tainted 'E' ('%s', %s)", t,
			    err ? strerror(-err) : "loaded");
	if (!err)
		pt_unload_module();

	err = pt_load_module(ko, "");
	snprintf(t, sizeof(t), "%s", module_taint());
	summary = err ? NULL : pt_read(pt_path("summary"));
	ksft_result(!err && !strchr(t, 'E') && summary && pt_complete(summary),
		    "the signed module loads again ('%s', %s), its summary whole", t,
		    err ? strerror(-err) : "loaded");
	free(summary);
	ksft_finish();
}
