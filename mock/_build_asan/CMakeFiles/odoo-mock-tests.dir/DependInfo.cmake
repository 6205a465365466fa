
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/mock/tests/fixture_replay.c" "CMakeFiles/odoo-mock-tests.dir/tests/fixture_replay.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/fixture_replay.c.o.d"
  "/work/main/mock/tests/http_client.c" "CMakeFiles/odoo-mock-tests.dir/tests/http_client.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/http_client.c.o.d"
  "/work/main/mock/tests/test_faults.c" "CMakeFiles/odoo-mock-tests.dir/tests/test_faults.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/test_faults.c.o.d"
  "/work/main/mock/tests/test_fidelity.c" "CMakeFiles/odoo-mock-tests.dir/tests/test_fidelity.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/test_fidelity.c.o.d"
  "/work/main/mock/tests/test_odxproxy.c" "CMakeFiles/odoo-mock-tests.dir/tests/test_odxproxy.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/test_odxproxy.c.o.d"
  "/work/main/mock/tests/test_orm.c" "CMakeFiles/odoo-mock-tests.dir/tests/test_orm.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/test_orm.c.o.d"
  "/work/main/mock/tests/test_server.c" "CMakeFiles/odoo-mock-tests.dir/tests/test_server.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/test_server.c.o.d"
  "/work/main/mock/tests/test_support.c" "CMakeFiles/odoo-mock-tests.dir/tests/test_support.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/test_support.c.o.d"
  "/work/main/mock/tests/test_units.c" "CMakeFiles/odoo-mock-tests.dir/tests/test_units.c.o" "gcc" "CMakeFiles/odoo-mock-tests.dir/tests/test_units.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/mock/_build_asan/CMakeFiles/odoo_mock_lib.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
