#!/usr/bin/env bash
# Builds a throw-away Linux guest for the tests that need a real kernel (power cuts): Debian's own kernel,
# uncompressed so that QEMU boots it directly (PVH), and a busybox initramfs that loads the modules for
# virtio disks, 9p shares, xHCI and USB serial adapters, mounts the host's root read-only as its own root,
# shares a work directory read-write, and runs one script from it. No udevd: the tests want the bare kernel.
# usage: build-guest.sh OUTDIR      (idempotent: an OUTDIR that holds a guest is left as it is)
set -euo pipefail
out=$(realpath -m "${1:?usage: build-guest.sh OUTDIR}")
if [ -s "$out/vmlinux" ] && [ -s "$out/initramfs.gz" ]; then
  exit 0
fi
need=()
for cmd in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio depmod:kmod; do
  command -v "${cmd%%:*}" >/dev/null 2>&1 || need+=("${cmd##*:}")
done
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "build-guest.sh needs: ${need[*]} (sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
mkdir -p "$out/debs"
cd "$out"
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$kpkg" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -q >/dev/null   # a fresh machine may have no package lists yet
  kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
fi
[ -n "$kpkg" ] || { echo "build-guest.sh: no Debian kernel package found (apt-get update as root)" >&2; exit 1; }
kver=${kpkg#linux-image-}
(cd debs && apt-get download -q -o APT::Sandbox::User=root "$kpkg" >/dev/null)
rm -rf kernel && dpkg -x debs/"${kpkg}"_*.deb kernel
# the compressed image holds an xz stream: unpacked, QEMU starts the ELF at its PVH entry, seconds sooner
python3 - "kernel/boot/vmlinuz-$kver" vmlinux <<'PY'
import lzma, sys
data = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(lzma.LZMADecompressor().decompress(data[data.find(b'\xfd7zXZ\x00'):]))
PY
depmod -b "$out/kernel" "$kver"
rm -rf initramfs && mkdir -p initramfs/{bin,dev,proc,sys,newroot,mods}
cp "$(command -v busybox)" initramfs/bin/busybox
for m in virtio_pci virtio_blk 9pnet_virtio 9p ext4 xhci_pci ftdi_sio usbhid; do
  modprobe -d "$out/kernel" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' > mods.list
while read -r f; do cp "$f" initramfs/mods/; basename "$f"; done < mods.list > initramfs/mods/order
cat > initramfs/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
for m in $(cat /mods/order); do insmod /mods/$m 2>/dev/null; done
for a in $(cat /proc/cmdline); do
  case $a in guest.script=*) script=${a#guest.script=};; guest.work=*) work=${a#guest.work=};; esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /newroot || exec sh
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t tmpfs tmpfs /newroot/run
mkdir -p /newroot$work
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 work /newroot$work
for d in proc sys dev; do mount -o move /$d /newroot/$d; done
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts; mount -t tmpfs tmpfs /newroot/dev/shm
cp /bin/busybox /newroot/run/busybox
exec switch_root /newroot /bin/bash -c "export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root; bash $script; echo \"[guest] script exit \$?\"; /run/busybox poweroff -f"
INIT
chmod +x initramfs/init
(cd initramfs && find . | cpio -o -H newc 2>/dev/null | gzip -1 > ../initramfs.gz)
echo "guest built in $out: kernel $kver"
