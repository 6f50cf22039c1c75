#!/usr/bin/env bash
# cmake --install puts binaries, data, man pages, completion and pkg-config in place, and the
# installed tools find their data relative to themselves.
set -u
build=$1
. "$(dirname "$0")/lib.sh"
check install 0 cmake --install "$build" --prefix "$tmp/prefix"
for f in bin/sml-estimate bin/sml-describe bin/sml-suggest bin/sml-accelsim bin/sml-compose share/sml/catalog/regions.yaml \
         share/sml/catalog/archs/resnet50.yaml share/man/man1/sml-compose.1 share/man/man7/sml.7 \
         share/sml/hw/devices/nvidia-t4.yaml share/man/man1/sml-estimate.1 share/man/man5/sml-formats.5 \
         share/bash-completion/completions/sml-estimate include/sml/io/doc.hpp share/sml/Makefile.inc \
         share/sml/footprint-gate.sh share/doc/sustainml/examples/makefile-experiment/models/mobilenet_v2.onnx; do
  if [ -e "$tmp/prefix/$f" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $f not installed"; fi
done
if ls "$tmp/prefix"/lib*/pkgconfig/sml.pc >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: no sml.pc"; fi
# The installed data is used first: an entry only it has must show up.
cp "$tmp/prefix/share/sml/hw/devices/nvidia-t4.yaml" "$tmp/prefix/share/sml/hw/devices/zz-installed-only.yaml"
sed -i 's/^id: nvidia-t4/id: zz-installed-only/; s/^aliases:.*/aliases: []/' "$tmp/prefix/share/sml/hw/devices/zz-installed-only.yaml"
check installed-data 0 "$tmp/prefix/bin/sml-estimate" --list devices
expect_in installed-entry "$tmp/out" "zz-installed-only"
check installed-archs 0 "$tmp/prefix/bin/sml-compose" --list archs
expect_in installed-archs-resnet "$tmp/out" "resnet50"
# libsml through pkg-config: a program that builds a model with the installed headers and library.
cat >"$tmp/use.cpp" <<'CPP'
#include <iostream>
#include "sml/compose/composition.hpp"
int main() {
  auto c = sml::compose::parse_composition("sml: composition/v1\ninput: {shape: [1, 3, 32, 32]}\nnum_classes: 2\ncores:\n  - {core: classifier}\n", "x");
  std::cout << sml::compose::build_composition(c).graph.trainable_elements() << "\n";
}
CPP
# A sanitized build's library needs the sanitizer runtime in whatever links it.
sanitize=$(grep -q '^SML_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && echo "-fsanitize=address,undefined")
check pkg-config 0 bash -c "PKG_CONFIG_PATH=\$(ls -d '$tmp/prefix'/lib*/pkgconfig) && export PKG_CONFIG_PATH && g++ $sanitize '$tmp/use.cpp' -o '$tmp/use' \$(pkg-config --cflags --libs --static sml) && '$tmp/use'"
expect_in pkg-config-ran "$tmp/out" "8"  # avg-pooled 3 channels → 2 classes: 3·2 + 2
check completion 0 bash -c ". '$tmp/prefix/share/bash-completion/completions/sml-estimate' && complete -p sml-suggest"
finish
