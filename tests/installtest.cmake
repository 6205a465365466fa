# Install the build into a scratch prefix, then build a tiny program
# against it twice: with find_package(libodoo) and with pkg-config.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/app)
set(prefix ${WORK}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install failed: ${out}")
endif()
foreach(f include/odoo.h include/odoo/client.h include/odoo/sys/protocol.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "missing ${f} in the installed tree")
  endif()
endforeach()
file(WRITE ${WORK}/app/main.c [=[
#include <stdio.h>
#include <string.h>
#include <odoo.h>
int main(void)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    odoo_protocol *p = NULL;
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    o.url = "http://127.0.0.1:1";
    /* A connection opens without I/O; the version string is the library's. */
    if (odoo_connect(&p, ODOO_PROTOCOL_JSON2, &o, &e) != 0) { printf("connect: %s\n", e.message); return 1; }
    printf("libodoo %s %s\n", odoo_version_string(), odoo_protocol_name(p));
    odoo_close(p);
    return strcmp(odoo_version_string(), ODOO_VERSION_STRING) != 0;
}
]=])
file(WRITE ${WORK}/app/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.25)
project(app C)
find_package(libodoo REQUIRED)
add_executable(app main.c)
target_link_libraries(app PRIVATE libodoo::odoo)
add_executable(app_static main.c)
target_link_libraries(app_static PRIVATE libodoo::odoo_static)
]=])
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK}/app -B ${WORK}/app/build -DCMAKE_PREFIX_PATH=${prefix}
                -DCMAKE_C_COMPILER=${CC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "find_package(libodoo) project did not configure:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/app/build RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "find_package(libodoo) project did not build:\n${out}")
endif()
foreach(exe app app_static)
  execute_process(COMMAND ${WORK}/app/build/${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${exe} failed: ${out}")
  endif()
  message(STATUS "${exe}: ${out}")
endforeach()
# pkg-config
find_program(PKGCONF pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig:${prefix}/lib/x86_64-linux-gnu/pkgconfig)
execute_process(COMMAND ${PKGCONF} --cflags --libs libodoo OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config does not know libodoo")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
execute_process(COMMAND ${CC} -std=c11 ${WORK}/app/main.c ${flags} -o ${WORK}/app/app_pc
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config build failed: ${out}")
endif()
file(GLOB libdirs ${prefix}/lib ${prefix}/lib/*)
string(REPLACE ";" ":" ldpath "${libdirs}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${ldpath} ${WORK}/app/app_pc
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config program failed: ${out}")
endif()
message(STATUS "pkg-config app: ${out}")
