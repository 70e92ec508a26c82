#!/usr/bin/env bash
# The package's life in a throwaway root, with its maintainer scripts:
# install, upgrade to a newer version, remove, purge, each followed by a
# look at what is left. `dpkg --root=DIR --force-script-chrootless` runs the
# scripts on this machine with DPKG_ROOT=DIR, which they honour; nothing
# outside DIR may change (checked). Needs root; no network, no services.
# shellcheck disable=SC2015 # `test && ok || no`: ok always succeeds
set -uo pipefail
BUILD=${BUILD:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb= # set by build_deb
# shellcheck source=tests/package/lib.sh
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: dpkg --root needs root to own files as root and disclosed"
	exit 77
fi
build_deb || { finish; exit 1; }

host_before=$(cat /etc/passwd /etc/group | md5sum)
host_etc_before=$([ -e /etc/disclosed ] && echo present || echo absent)

# A newer build: the same files as version 0.0.0+next, whose shipped
# config gains a line, so the upgrade meets a conffile changed on both
# sides.
next="$work/next"
dpkg-deb -R "$deb" "$next"
version=$(dpkg-deb -f "$deb" Version)
newer=$version+next
sed -i "s/^Version: .*/Version: $newer/" "$next/DEBIAN/control"
echo "# a line added upstream in $newer" >>"$next/etc/disclosed/disclosed.conf"
(cd "$next" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' |
	sort -z | xargs -0 md5sum >DEBIAN/md5sums)
dpkg-deb --root-owner-group -b "$next" "$work/newer.deb" >/dev/null
dpkg --compare-versions "$newer" gt "$version" && ok "the newer build is $newer" || no "$newer is not newer"

root=$work/root
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info"
touch "$root/var/lib/dpkg/status"
# Dependencies are not in the empty root; the scripts run on the host.
pkg() { dpkg --root="$root" --force-script-chrootless --force-depends \
	--force-confold --force-unsafe-io --log=/dev/null "$@" >>"$work/dpkg.log" 2>&1; }
status() { dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Abbrev}${Version}' disclosed 2>/dev/null; }
exists() { [ -e "$root$2" ] && ok "$1: $2 is there" || no "$1: $2 is missing"; }
absent() { [ -e "$root$2" ] && no "$1: $2 is still there" || ok "$1: $2 is gone"; }
key_id() { # mode owner size checksum
	local f=$root/etc/disclosed/pii.key
	[ -f "$f" ] && echo "$(stat -c '%a %u:%g %s' "$f") $(md5sum <"$f")"
}

# Install.
pkg -i "$deb" && ok "install" || { no "install failed: $(tail -5 "$work/dpkg.log")"; finish; exit 1; }
[ "$(status)" = "ii $version" ] && ok "installed: $(status)" || no "status after install: $(status)"
uid=$(awk -F: '$1 == "disclosed" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "disclosed" { print $3 }' "$root/etc/group")
[ -n "$uid" ] && [ -n "$gid" ] && ok "system user disclosed ($uid:$gid)" || no "no user disclosed in the root"
for f in /usr/bin/disclosed /etc/disclosed/disclosed.conf /etc/disclosed/texts/README; do
	exists install "$f"
done
[ -d "$root/etc/disclosed/texts" ] && ok "install: the texts folder" || no "install: no texts folder"
key=$(key_id)
case $key in
"600 $uid:$gid 65 "*) ok "install: pii.key is 0600, owned by disclosed, 64 hex digits" ;;
*) no "install: pii.key is: $key" ;;
esac
grep -qxE '[0-9a-f]{64}' "$root/etc/disclosed/pii.key" && ok "install: pii.key holds hex" ||
	no "install: pii.key is not 64 hex digits"

# What the administrator adds: a local edit, an agency's texts, data.
echo "# local edit" >>"$root/etc/disclosed/disclosed.conf"
mkdir -p "$root/etc/disclosed/texts/a1" "$root/var/lib/disclosed/reports"
echo "某某局" >"$root/etc/disclosed/texts/a1/name.txt"
echo "{}" >"$root/var/lib/disclosed/reports/a1-2025.json"

# Upgrade.
pkg -i "$work/newer.deb" && ok "upgrade" || no "upgrade failed: $(tail -5 "$work/dpkg.log")"
[ "$(status)" = "ii $newer" ] && ok "upgraded: $(status)" || no "status after upgrade: $(status)"
grep -qx "# local edit" "$root/etc/disclosed/disclosed.conf" && ok "upgrade: the local edit is kept" ||
	no "upgrade: the local edit is lost"
exists upgrade /etc/disclosed/disclosed.conf.dpkg-dist
[ "$(key_id)" = "$key" ] && ok "upgrade: pii.key unchanged" || no "upgrade: pii.key changed: $(key_id)"
exists upgrade /etc/disclosed/texts/a1/name.txt

# Remove: configuration, key, texts and data stay.
pkg -r disclosed && ok "remove" || no "remove failed: $(tail -5 "$work/dpkg.log")"
[ "$(status)" = "rc $newer" ] && ok "removed, config left: $(status)" || no "status after remove: $(status)"
absent remove /usr/bin/disclosed
absent remove /lib/systemd/system/disclosed.service
for f in /etc/disclosed/disclosed.conf /etc/disclosed/texts/README /etc/disclosed/texts/a1/name.txt \
	/var/lib/disclosed/reports/a1-2025.json; do
	exists remove "$f"
done
[ "$(key_id)" = "$key" ] && ok "remove: pii.key unchanged" || no "remove: pii.key changed or gone"
grep -qx "# local edit" "$root/etc/disclosed/disclosed.conf" && ok "remove: the local edit is kept" ||
	no "remove: the local edit is lost"

# Purge: the package's configuration goes; the administrator's texts and
# the data stay; the system user stays (Debian never reuses its uid).
pkg -P disclosed && ok "purge" || no "purge failed: $(tail -5 "$work/dpkg.log")"
[ -z "$(status)" ] && ok "purged: not in the package database" || no "status after purge: $(status)"
for f in /etc/disclosed/disclosed.conf /etc/disclosed/disclosed.conf.dpkg-dist \
	/etc/disclosed/texts/README /etc/disclosed/pii.key; do
	absent purge "$f"
done
exists purge /etc/disclosed/texts/a1/name.txt
exists purge /var/lib/disclosed/reports/a1-2025.json
grep -q '^disclosed:' "$root/etc/passwd" && ok "purge: the system user stays" || no "purge: the user is gone"

# Install and purge with nothing added: /etc/disclosed goes entirely.
rm -rf "${root:?}/etc/disclosed/texts/a1"
pkg -i "$deb" && pkg -P disclosed && ok "install, then purge" || no "install+purge: $(tail -5 "$work/dpkg.log")"
absent "purge of an untouched install" /etc/disclosed

[ "$(cat /etc/passwd /etc/group | md5sum)" = "$host_before" ] && ok "the host's users are unchanged" ||
	no "the host's /etc/passwd or /etc/group changed"
[ "$([ -e /etc/disclosed ] && echo present || echo absent)" = "$host_etc_before" ] &&
	ok "the host's /etc/disclosed is untouched" || no "the host's /etc/disclosed appeared or went"
finish
