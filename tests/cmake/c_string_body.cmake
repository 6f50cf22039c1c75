# sml_c_string_body (cmake/SmlCString.cmake) against a C++ compiler: a path holding ; " \ and a
# newline, escaped, goes where the build puts it (a source file's COMPILE_DEFINITIONS, a target's
# compile definitions, a configure_file'd literal) and must come out of the compiled program as
# the same bytes. Usage: cmake -DSOURCE=<source dir> -DWORK=<scratch dir> -P c_string_body.cmake
cmake_minimum_required(VERSION 3.16)
include(${SOURCE}/cmake/SmlCString.cmake)
set(path "/a;b \"c\" d\\e;0\nf")
sml_c_string_body(body "${path}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/src")
# The expected bytes, written by CMake itself (not through a literal), for the program to compare.
file(WRITE "${WORK}/src/expected.txt" "${path}")
file(WRITE "${WORK}/src/main.cpp" [=[
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
extern const char configured[];
int main(int, char** argv) {
  std::ifstream in(argv[1], std::ios::binary);
  const std::string want((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string got[] = {FROM_SOURCE_PROPERTY, FROM_TARGET, configured};
  int bad = 0;
  for (const auto& g : got)
    if (g != want) ++bad, std::cout << "differs: [" << g << "]\n";
  return bad;
}
]=])
file(WRITE "${WORK}/src/configured.cpp.in" "extern const char configured[];\nconst char configured[] = \"@body@\";\n")
file(WRITE "${WORK}/src/CMakeLists.txt" [=[
cmake_minimum_required(VERSION 3.16)
project(c_string_body CXX)
configure_file(configured.cpp.in ${CMAKE_CURRENT_BINARY_DIR}/configured.cpp @ONLY)
add_executable(check main.cpp ${CMAKE_CURRENT_BINARY_DIR}/configured.cpp)
set_source_files_properties(main.cpp PROPERTIES COMPILE_DEFINITIONS FROM_SOURCE_PROPERTY="${body}")
target_compile_definitions(check PRIVATE FROM_TARGET="${body}")
]=])
execute_process(COMMAND ${CMAKE_COMMAND} -S "${WORK}/src" -B "${WORK}/build" "-Dbody=${body}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/build" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed (the escaped path broke a definition):\n${out}")
endif()
execute_process(COMMAND "${WORK}/build/check" "${WORK}/src/expected.txt" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the compiled path differs from the original in ${rc} place(s):\n${out}")
endif()
message(STATUS "c_string_body: the path came through all three routes intact")
file(REMOVE_RECURSE "${WORK}")
