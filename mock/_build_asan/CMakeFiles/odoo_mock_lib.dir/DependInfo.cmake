
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/mock/src/auth.c" "CMakeFiles/odoo_mock_lib.dir/src/auth.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/auth.c.o.d"
  "/work/main/mock/src/control.c" "CMakeFiles/odoo_mock_lib.dir/src/control.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/control.c.o.d"
  "/work/main/mock/src/countries.c" "CMakeFiles/odoo_mock_lib.dir/src/countries.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/countries.c.o.d"
  "/work/main/mock/src/domain.c" "CMakeFiles/odoo_mock_lib.dir/src/domain.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/domain.c.o.d"
  "/work/main/mock/src/errors.c" "CMakeFiles/odoo_mock_lib.dir/src/errors.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/errors.c.o.d"
  "/work/main/mock/src/faults.c" "CMakeFiles/odoo_mock_lib.dir/src/faults.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/faults.c.o.d"
  "/work/main/mock/src/fieldval.c" "CMakeFiles/odoo_mock_lib.dir/src/fieldval.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/fieldval.c.o.d"
  "/work/main/mock/src/http_resp.c" "CMakeFiles/odoo_mock_lib.dir/src/http_resp.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/http_resp.c.o.d"
  "/work/main/mock/src/jsonrpc_env.c" "CMakeFiles/odoo_mock_lib.dir/src/jsonrpc_env.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/jsonrpc_env.c.o.d"
  "/work/main/mock/src/orm.c" "CMakeFiles/odoo_mock_lib.dir/src/orm.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/orm.c.o.d"
  "/work/main/mock/src/orm_group.c" "CMakeFiles/odoo_mock_lib.dir/src/orm_group.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/orm_group.c.o.d"
  "/work/main/mock/src/orm_read.c" "CMakeFiles/odoo_mock_lib.dir/src/orm_read.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/orm_read.c.o.d"
  "/work/main/mock/src/orm_search.c" "CMakeFiles/odoo_mock_lib.dir/src/orm_search.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/orm_search.c.o.d"
  "/work/main/mock/src/orm_write.c" "CMakeFiles/odoo_mock_lib.dir/src/orm_write.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/orm_write.c.o.d"
  "/work/main/mock/src/proto_json2.c" "CMakeFiles/odoo_mock_lib.dir/src/proto_json2.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/proto_json2.c.o.d"
  "/work/main/mock/src/proto_jsonrpc.c" "CMakeFiles/odoo_mock_lib.dir/src/proto_jsonrpc.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/proto_jsonrpc.c.o.d"
  "/work/main/mock/src/proto_odxproxy.c" "CMakeFiles/odoo_mock_lib.dir/src/proto_odxproxy.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/proto_odxproxy.c.o.d"
  "/work/main/mock/src/proto_web.c" "CMakeFiles/odoo_mock_lib.dir/src/proto_web.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/proto_web.c.o.d"
  "/work/main/mock/src/proto_xmlrpc.c" "CMakeFiles/odoo_mock_lib.dir/src/proto_xmlrpc.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/proto_xmlrpc.c.o.d"
  "/work/main/mock/src/pyjson.c" "CMakeFiles/odoo_mock_lib.dir/src/pyjson.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/pyjson.c.o.d"
  "/work/main/mock/src/schema.c" "CMakeFiles/odoo_mock_lib.dir/src/schema.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/schema.c.o.d"
  "/work/main/mock/src/seed.c" "CMakeFiles/odoo_mock_lib.dir/src/seed.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/seed.c.o.d"
  "/work/main/mock/src/server.c" "CMakeFiles/odoo_mock_lib.dir/src/server.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/server.c.o.d"
  "/work/main/mock/src/services.c" "CMakeFiles/odoo_mock_lib.dir/src/services.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/services.c.o.d"
  "/work/main/mock/src/sessions.c" "CMakeFiles/odoo_mock_lib.dir/src/sessions.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/sessions.c.o.d"
  "/work/main/mock/src/store.c" "CMakeFiles/odoo_mock_lib.dir/src/store.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/store.c.o.d"
  "/work/main/mock/src/util.c" "CMakeFiles/odoo_mock_lib.dir/src/util.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/util.c.o.d"
  "/work/main/mock/src/xmlrpc.c" "CMakeFiles/odoo_mock_lib.dir/src/xmlrpc.c.o" "gcc" "CMakeFiles/odoo_mock_lib.dir/src/xmlrpc.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
