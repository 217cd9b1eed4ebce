#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mok-key.sh
#
# The project's module-signing key pair, made once into the cache the way
# DKMS makes its MOK pair (/var/lib/dkms/mok.key and mok.pub):
#   openssl req -new -x509 -nodes -days 36500 -subj "/CN=..." \
#       -newkey rsa:2048 -keyout mok.key -outform DER -out mok.pub
# plus mok.pem, the certificate in PEM, which a kernel build takes as a
# trusted key (CONFIG_SYSTEM_TRUSTED_KEYS; scripts/kconfig/debug-amd64.config).
# Prints the directory ($PTSHARE_CACHE/mok). Modules are signed with it by
# DKMS (mok_signing_key/mok_certificate in its framework.conf) or by hand:
#   KDIR/scripts/sign-file sha256 mok.key mok.pub ptshare.ko
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_tools openssl:openssl flock:util-linux
dir=$PTSHARE_CACHE/mok
mkdir -p "$dir"
lock mok
if [ ! -s "$dir/mok.key" ] || [ ! -s "$dir/mok.pub" ] || [ ! -s "$dir/mok.pem" ]; then
	rm -f "$dir"/mok.*
	openssl req -new -x509 -nodes -days 36500 -subj "/CN=ptshare test MOK/" \
		-newkey rsa:2048 -keyout "$dir/mok.key.new" -outform DER -out "$dir/mok.pub.new" \
		>"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; die "openssl could not make the key pair"; }
	openssl x509 -inform DER -in "$dir/mok.pub.new" -out "$dir/mok.pem.new"
	chmod 0600 "$dir/mok.key.new"
	mv "$dir/mok.key.new" "$dir/mok.key"
	mv "$dir/mok.pub.new" "$dir/mok.pub"
	mv "$dir/mok.pem.new" "$dir/mok.pem"
fi
unlock mok
echo "$dir"
