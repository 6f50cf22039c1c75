// Where the unit tests find the source tree: its test models, its test data, and the tree itself
// (catalog/, hw/, examples/). The paths are compiled into one generated file (test_paths.cpp.in,
// configured into the build folder), not passed as -D on every test object's command line: with a
// checkout's absolute path on the command line each checkout's objects differ, and ccache shares
// nothing between worktrees or clean clones (as lib/io/data_path.cpp does for libsml).
// tests/CMakeLists.txt includes this header in every unit test source (-include), so each file
// uses the three names as it did the definitions.
#pragma once

extern const char sml_test_models_dir[];   // tests/models
extern const char sml_test_data_dir[];     // tests/data
extern const char sml_test_source_dir[];   // the source tree's root

#define SML_TEST_MODELS sml_test_models_dir
#define SML_TEST_DATA sml_test_data_dir
#define SML_SOURCE_DATA_DIR sml_test_source_dir
