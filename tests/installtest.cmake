# Install the build into a scratch prefix, check the installed files and
# tools, then build a tiny program against it: with find_package(libodoo)
# (which must leave nothing of its dependencies' lookups in the caller's
# scope, nor an include dir twice) and with pkg-config; the same for the
# example adapter (examples/echo_adapter.c), run against the installed odoo-mock.
#   cmake -DSRC=<source> -DBUILD=<build> -DWORK=<scratch> -DCC=<compiler>
#         -DVERSION=<x.y.z> -DSOVERSION=<soversion> -P installtest.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/app)
set(prefix ${WORK}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install failed: ${out}")
endif()
# Every public and sys header of the source tree (adapter authors build on sys/).
file(GLOB_RECURSE headers RELATIVE ${SRC} ${SRC}/include/*.h ${SRC}/include/*.hpp)
list(FIND headers include/odoo/sys/protocol.h at)
if(at EQUAL -1)
  message(FATAL_ERROR "no headers found under ${SRC}/include")
endif()
foreach(f ${headers})
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "missing ${f} in the installed tree")
  endif()
endforeach()
# The tools: installed with their man pages, linked to libodoo.so (whose
# soname they record), and they run from any prefix (relative RUNPATH).
find_program(READELF readelf REQUIRED)
if(NOT DEFINED VERSION) # the installed package's own version file says it
  file(GLOB_RECURSE cfgver ${prefix}/libodooConfigVersion.cmake)
  file(STRINGS ${cfgver} line REGEX "set\\(PACKAGE_VERSION ")
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" VERSION "${line}")
endif()
if(NOT DEFINED SOVERSION) # docs/conventions.md: major.minor while 0.x, then major
  string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _ "${VERSION}")
  if(CMAKE_MATCH_1 EQUAL 0)
    set(SOVERSION ${CMAKE_MATCH_1}.${CMAKE_MATCH_2})
  else()
    set(SOVERSION ${CMAKE_MATCH_1})
  endif()
endif()
message(STATUS "installed libodoo ${VERSION}, soname libodoo.so.${SOVERSION}")
file(GLOB_RECURSE sonames ${prefix}/libodoo.so.${SOVERSION})
if(NOT sonames)
  message(FATAL_ERROR "libodoo.so.${SOVERSION} (the soname) is not installed")
endif()
file(GLOB pages RELATIVE ${SRC}/man ${SRC}/man/*.1)
foreach(page ${pages})
  if(page STREQUAL "odoo-bench.1" OR NOT EXISTS ${BUILD}/src/cli/odoo-rpc)
    continue() # odoo-bench is not installed; no tools in an ODOO_BUILD_TOOLS=OFF build
  endif()
  if(NOT EXISTS ${prefix}/share/man/man1/${page})
    message(FATAL_ERROR "man page ${page} is not installed in share/man/man1")
  endif()
endforeach()
foreach(tool odoo-rpc odoo-mock)
  if(NOT EXISTS ${prefix}/bin/${tool})
    continue()
  endif()
  execute_process(COMMAND ${READELF} -d ${prefix}/bin/${tool} OUTPUT_VARIABLE dyn)
  if(tool STREQUAL "odoo-rpc" AND NOT dyn MATCHES "NEEDED[^\n]*\\[libodoo\\.so\\.${SOVERSION}\\]")
    message(FATAL_ERROR "installed odoo-rpc does not link libodoo.so.${SOVERSION}:\n${dyn}")
  endif()
  if(tool STREQUAL "odoo-mock" AND NOT dyn MATCHES "NEEDED[^\n]*\\[libodoo_mock\\.so\\.")
    message(FATAL_ERROR "installed odoo-mock does not link libodoo_mock.so:\n${dyn}")
  endif()
  execute_process(COMMAND ${prefix}/bin/${tool} --help RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "installed ${tool} does not run from ${prefix}: ${out}")
  endif()
endforeach()
if(EXISTS ${prefix}/bin/odoo-rpc)
  execute_process(COMMAND ${prefix}/bin/odoo-rpc --version OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "libodoo ${VERSION}")
    message(FATAL_ERROR "installed odoo-rpc --version: ${out}")
  endif()
endif()
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
# The example adapter (examples/echo_adapter.c): one file on the installed
# <odoo.h> and <odoo/sys/...> alone. Copied out of the source tree, so only
# the prefix's include directory can answer its #includes.
file(COPY ${SRC}/examples/echo_adapter.c DESTINATION ${WORK}/app)
file(CONFIGURE OUTPUT ${WORK}/app/CMakeLists.txt @ONLY CONTENT [=[
cmake_minimum_required(VERSION 3.25)
project(app C)
get_cmake_property(before VARIABLES)
find_package(libodoo @VERSION@ REQUIRED)
get_cmake_property(after VARIABLES)
# json-c is found through its own CMake config: none of pkg-config's JSONC_*
# results reaches this scope (the config used to run pkg_check_modules here).
foreach(v JSONC_FOUND JSONC_INCLUDE_DIRS JSONC_LIBRARIES JSONC_LINK_LIBRARIES)
  if(DEFINED ${v})
    message(FATAL_ERROR "find_package(libodoo) defined ${v}")
  endif()
endforeach()
# In the caller's scope, only libodoo's own results and those of
# find_dependency(json-c), whose config (PACKAGE_INIT) also leaves
# PACKAGE_PREFIX_DIR. (Cache entries, the find_* and try-compile results of
# the dependencies' lookups, are shared by design and not counted.)
list(REMOVE_ITEM after ${before} before)
foreach(v ${after})
  get_property(cached CACHE ${v} PROPERTY TYPE SET)
  if(NOT cached AND NOT v MATCHES "^(libodoo_|json-c_|PACKAGE_PREFIX_DIR$|CMAKE_FIND_PACKAGE_NAME$|_CMAKE_)")
    message(FATAL_ERROR "find_package(libodoo) leaked the variable ${v}")
  endif()
endforeach()
# Each include directory once.
foreach(t libodoo::odoo libodoo::odoo_static json-c::json-c)
  get_target_property(inc ${t} INTERFACE_INCLUDE_DIRECTORIES)
  set(uniq ${inc})
  list(REMOVE_DUPLICATES uniq)
  if(NOT uniq STREQUAL inc)
    message(FATAL_ERROR "${t} lists an include directory twice: ${inc}")
  endif()
endforeach()
get_target_property(inc libodoo::odoo INTERFACE_INCLUDE_DIRECTORIES)
message(STATUS "libodoo::odoo includes ${inc}; variables set: ${after}")
add_executable(app main.c)
target_link_libraries(app PRIVATE libodoo::odoo)
add_executable(app_static main.c)
target_link_libraries(app_static PRIVATE libodoo::odoo_static)
add_executable(echo-adapter echo_adapter.c)
target_link_libraries(echo-adapter PRIVATE libodoo::odoo)
set_target_properties(echo-adapter PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(echo-adapter PRIVATE -pedantic -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
                       -Wmissing-prototypes)
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

# The example adapter once more with pkg-config's flags alone, strictly; both
# builds load the installed libodoo.so, and run against the installed
# odoo-mock when this build installs one (started on a free port, stopped
# by its pid).
execute_process(COMMAND ${CC} -std=c11 -pedantic -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
                -Wmissing-prototypes ${WORK}/app/echo_adapter.c ${flags} -o ${WORK}/app/echo-adapter-pc
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "examples/echo_adapter.c does not build from the installed headers (pkg-config):\n${out}")
endif()
foreach(exe ${WORK}/app/build/echo-adapter ${WORK}/app/echo-adapter-pc)
  execute_process(COMMAND ${READELF} -d ${exe} OUTPUT_VARIABLE dyn)
  if(NOT dyn MATCHES "NEEDED[^\n]*\\[libodoo\\.so\\.${SOVERSION}\\]")
    message(FATAL_ERROR "${exe} does not link libodoo.so.${SOVERSION}:\n${dyn}")
  endif()
endforeach()
if(EXISTS ${prefix}/bin/odoo-mock)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${ldpath} sh -c [=[
      "$1" --port 0 --quiet > "$2/mock.out" 2>&1 &
      mock=$!
      url= i=0
      while [ -z "$url" ] && [ $i -lt 100 ]; do
        url=$(sed -n 's/.* listening on \([^ ]*\) .*/\1/p' "$2/mock.out")
        [ -n "$url" ] || sleep 0.1
        i=$((i + 1))
      done
      rc=3
      if [ -z "$url" ]; then cat "$2/mock.out"; else
        "$3" "$url" odoo admin admin && "$4" "$url" odoo admin admin; rc=$?
      fi
      kill $mock
      wait $mock 2>/dev/null
      exit $rc
    ]=] sh ${prefix}/bin/odoo-mock ${WORK}/app ${WORK}/app/build/echo-adapter ${WORK}/app/echo-adapter-pc
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 120)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "echo: Odoo 19\\.0, database odoo exists, uid 2, [0-9]+ partners")
    message(FATAL_ERROR "the installed example adapter against the installed odoo-mock (${rc}):\n${out}")
  endif()
  message(STATUS "echo-adapter against the installed odoo-mock: ${out}")
else()
  message(STATUS "echo-adapter built from the installed headers (no odoo-mock installed to run it against)")
endif()
