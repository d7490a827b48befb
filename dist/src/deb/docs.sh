#!/bin/sh
# The Debian package's documents, into OUT: usblogd.8.gz, help2man's page made from the help and version
# text the assembled bin/usblogd prints; changelog.gz, one entry for this build (its version as jdeb
# computes it from the same time stamp); copyright. Compressed as Debian policy asks (gzip -9n).
# usage: docs.sh INSTALLATION OUT PROJECT_VERSION BUILD_TIMESTAMP(ISO 8601, UTC) SOURCE_DIR
set -eu
home=$1 out=$2 version=$3 stamp=$4 src=$5

case "$version" in
*-SNAPSHOT) debversion="${version%-SNAPSHOT}~$(date -u -d "$stamp" +%Y%m%d%H%M%S)" ;;
*) debversion=$version ;;
esac
mkdir -p "$out"

rm -f "$out/usblogd.8.gz"
if command -v help2man >/dev/null 2>&1; then
  # wide help lines, so that help2man sees one line per option and command (picocli wraps at 80 otherwise)
  USBLOGD_JAVA_OPTS=-Dpicocli.usage.width=1000 help2man --no-info --section=8 --name="USB data logger daemon" \
    --source="usblogd $version" --manual="usblogd" --no-discard-stderr --include="$src/usblogd.h2m" \
    --output="$out/usblogd.8" "$home/bin/usblogd"
  gzip -9nf "$out/usblogd.8"
else
  # the installation and the tarball need no man page: a quick build on a fresh machine goes on without it
  echo "dist: help2man is missing: the .deb is built without its man page (apt-get install help2man)" >&2
fi

{
  echo "usblogd ($debversion) unstable; urgency=medium"
  echo
  echo "  * Built from the usblogd sources, version $version."
  echo "    README.md beside this file says what changed and what the program does."
  echo
  echo " -- usblogd developers <usblogd@users.noreply.github.com>  $(date -u -R -d "$stamp")"
} > "$out/changelog"
gzip -9nf "$out/changelog"

cp "$src/copyright" "$out/copyright"
