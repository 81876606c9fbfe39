#!/usr/bin/env bash
# Checks the .deb as a Debian user gets it (run by .ci/run, as root):
#   1. lintian reports no error on it;
#   2. in a clean Debian 12 root (debootstrap --variant=minbase bookworm) where apt installs the
#      package with only its declared dependencies (no Recommends), the main job's commands
#      (scripts/main.sh on /usr/bin/chokepoint and /usr/share/chokepoint/examples) all succeed,
#      the man pages open, `--help` points to documentation that is there, and the binary
#      copied alone says where it looked for its data.
#   scripts/check-package.sh build/chokepoint_0.2.0_amd64.deb
# A full root, not `dpkg -x` plus ldd: it also catches what ldd cannot see (Graphviz's plugins
# and their configuration, fonts, /usr/share paths, maintainer scripts). About 5 minutes, most
# of it debootstrap. MIRROR overrides the Debian mirror; KEEP_ROOT=1 keeps the root for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "$1")
mirror=${MIRROR:-http://deb.debian.org/debian}

echo "check-package: lintian"
lintian --tag-display-limit 0 "$deb" | tee /tmp/chokepoint-lintian.$$ || true
if grep -q '^E: ' /tmp/chokepoint-lintian.$$; then
  echo "check-package: lintian reports errors"; rm -f /tmp/chokepoint-lintian.$$; exit 1
fi
rm -f /tmp/chokepoint-lintian.$$

root=$(mktemp -d /tmp/chokepoint-root.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  [ "${KEEP_ROOT:-0}" = 1 ] && { echo "check-package: root kept in $root"; return; }
  rm -rf "$root"
}
trap cleanup EXIT
echo "check-package: debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.log" 2>&1 ||
  { tail -20 "$root.log"; echo "check-package: debootstrap failed"; exit 1; }
rm -f "$root.log"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/chokepoint.deb"
mkdir -p "$root/opt/chokepoint/scripts"
cp scripts/main.sh "$root/opt/chokepoint/scripts/"
echo "check-package: apt-get install the package (Depends only)"
chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends /tmp/chokepoint.deb' > "$root/tmp/apt.log" 2>&1 ||
  { tail -20 "$root/tmp/apt.log"; echo "check-package: the package does not install"; exit 1; }

echo "check-package: the main job on the installed package"
chroot "$root" sh -c 'cd /opt/chokepoint && CHOKEPOINT_BIN=/usr/bin/chokepoint \
  CHOKEPOINT_EXAMPLES=/usr/share/chokepoint/examples scripts/main.sh /tmp/out' ||
  { echo "check-package: the main job failed in the clean root"; exit 1; }
for f in report.html report.json report.md graph.svg timeline-taiwan-12-months/timeline.svg \
         timeline-taiwan-12-months/timeline.png coalitions-cn-fdpr/coalitions.html \
         uncertainty/uncertainty.html china-view/report.md; do
  [ -s "$root/tmp/out/$f" ] || { echo "check-package: $f missing or empty"; exit 1; }
done

echo "check-package: man pages, documentation, data found or clearly missing"
chroot "$root" sh -c 'zcat /usr/share/man/man1/chokepoint.1.gz | grep -q "^\.TH" &&
  zcat /usr/share/man/man5/chokepoint-format.5.gz | grep -q "^\.TH"' ||
  { echo "check-package: a man page is missing"; exit 1; }
chroot "$root" sh -c 'chokepoint --help | grep -q /usr/share/doc/chokepoint &&
  test -s /usr/share/doc/chokepoint/format.md && test -s /usr/share/doc/chokepoint/rules.md' ||
  { echo "check-package: --help points to documentation the package lacks"; exit 1; }
if strings "$root/usr/bin/chokepoint" | grep -qF "$PWD"; then
  echo "check-package: the binary holds a path of the tree it was built in ($PWD)"; exit 1
fi
cp "$root/usr/bin/chokepoint" "$root/tmp/alone"
set +e
msg=$(chroot "$root" /tmp/alone analyze /usr/share/chokepoint/examples/minimal.yaml 2>&1)
rc=$?
set -e
if [ $rc -ne 3 ] || ! grep -q "cannot find the default rules" <<< "$msg"; then
  echo "check-package: the binary copied alone did not say it lacks its data (exit $rc): $msg"
  exit 1
fi
chroot "$root" sh -c 'CHOKEPOINT_DATA_DIR=/usr/share/chokepoint /tmp/alone analyze \
  /usr/share/chokepoint/examples/minimal.yaml --format json > /dev/null' ||
  { echo "check-package: CHOKEPOINT_DATA_DIR is not honoured"; exit 1; }
echo "check-package: ok"
