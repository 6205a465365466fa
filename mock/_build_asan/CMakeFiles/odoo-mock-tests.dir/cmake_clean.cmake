file(REMOVE_RECURSE
  "CMakeFiles/odoo-mock-tests.dir/tests/fixture_replay.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/fixture_replay.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/http_client.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/http_client.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_faults.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_faults.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_fidelity.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_fidelity.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_odxproxy.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_odxproxy.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_orm.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_orm.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_server.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_server.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_support.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_support.c.o.d"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_units.c.o"
  "CMakeFiles/odoo-mock-tests.dir/tests/test_units.c.o.d"
  "odoo-mock-tests"
  "odoo-mock-tests.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/odoo-mock-tests.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
