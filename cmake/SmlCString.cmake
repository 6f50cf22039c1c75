# sml_c_string_body(OUT VALUE): VALUE as the body of a C/C++ string literal, for the compiled-in
# paths (lib/io/data_path.cpp, the unit tests' test_paths.cpp, the fuzz harnesses). A checkout under
# a folder whose name holds " or \ (or a newline) would otherwise end the literal early or escape
# the next character. A ; becomes the octal escape \073: the body goes into compile definitions
# (COMPILE_DEFINITIONS, target_compile_definitions), which are CMake lists, where a bare ; splits
# the definition in two (SML_SOURCE_DATA_DIR="/a and a second, broken, definition b/c").
# Three octal digits are the most an escape takes, so a digit after it stays a digit.
function(sml_c_string_body out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE "\n" "\\n" value "${value}")
  string(REPLACE ";" "\\073" value "${value}")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()
