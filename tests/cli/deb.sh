#!/usr/bin/env bash
# cpack -G DEB makes a Debian package holding the tools, data, man pages, completion, Makefile.inc
# and the CI gate; its Depends name the package of every shared library the tools need (objdump -p
# NEEDED, dpkg -S), and the unpacked tree works where it lands. (.ci/run installs it with dpkg -i
# and plays a user with it: tests/cli/user.sh --installed.)
set -u
build=$1
. "$(dirname "$0")/lib.sh"
command -v cpack dpkg-deb objdump >/dev/null || { echo "skipped: needs cpack, dpkg-deb and objdump"; exit 77; }
check cpack 0 cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg"
deb=$(ls "$tmp"/pkg/sustainml_*_amd64.deb 2>/dev/null | head -1)
expect_true deb-made [ -s "$deb" ]
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./||' >"$tmp/contents"
for f in usr/bin/sml-estimate usr/bin/sml-describe usr/bin/sml-suggest usr/bin/sml-compose usr/bin/sml-accelsim \
         usr/share/sml/Makefile.inc usr/share/sml/footprint-gate.sh usr/share/sml/catalog/regions.yaml \
         usr/share/sml/hw/devices/nvidia-t4.yaml usr/share/man/man1/sml-estimate.1 usr/share/man/man7/sml.7 \
         usr/share/man/man5/sml-formats.5 usr/share/bash-completion/completions/sml-estimate \
         usr/share/doc/sustainml/examples/makefile-experiment/Makefile \
         usr/share/doc/sustainml/examples/makefile-experiment/models/resnet18.onnx usr/lib/pkgconfig/sml.pc; do
  expect_true "packaged-$f" grep -qx "$f" "$tmp/contents"
done
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | awk '{print $1}')  # package names, one a line
# Every shared library a tool needs comes from a package the .deb depends on.
for lib in $(for b in "$build"/tools/sml-*; do objdump -p "$b" | awk '/NEEDED/{print $2}'; done | sort -u); do
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
  expect_true "depends-on-$pkg-for-$lib" grep -qxF "$pkg" <<<"$depends"
done
# Unpacked: the tools find their data beside them and pkg-config names the Makefile rules.
dpkg-deb -x "$deb" "$tmp/root"
check unpacked-runs 0 "$tmp/root/usr/bin/sml-estimate" --list devices
expect_in unpacked-data "$tmp/out" "nvidia-a100-sxm4-40gb"
expect_eq unpacked-pkg-config "$(PKG_CONFIG_PATH=$tmp/root/usr/lib/pkgconfig pkg-config --variable=makefile sml | xargs realpath -m)" "$tmp/root/usr/share/sml/Makefile.inc"
expect_eq unpacked-stripped "$(readelf -S "$tmp/root/usr/bin/sml-estimate" | grep -c '\.debug_info')" 0
finish
