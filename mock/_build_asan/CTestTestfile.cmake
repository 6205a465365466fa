# CMake generated Testfile for 
# Source directory: /work/main/mock
# Build directory: /work/main/mock/_build_asan
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[mock]=] "/work/main/mock/_build_asan/odoo-mock-tests")
set_tests_properties([=[mock]=] PROPERTIES  ENVIRONMENT "LSAN_OPTIONS=suppressions=/work/main/mock/tests/lsan.supp:print_suppressions=0" TIMEOUT "600" _BACKTRACE_TRIPLES "/work/main/mock/CMakeLists.txt;121;add_test;/work/main/mock/CMakeLists.txt;0;")
