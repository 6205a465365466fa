# The installed odoo-mock works for a user's own CI: install the odoo_mock
# component of BUILD into a scratch prefix, check the files, then build
# consumer.c (start a mock in process, one HTTP request, stop) with
# find_package(odoo_mock) and with pkg-config, against the shared and the
# static library, and run each program.
#   cmake -DBUILD=<build dir> -DSRC=<this dir> -DWORK=<scratch dir> -DCC=<compiler>
#         -P mock_consumer.cmake
cmake_minimum_required(VERSION 3.25) # policies for -P mode (IN_LIST, ...)
foreach(v BUILD SRC WORK CC)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "mock_consumer.cmake needs -D${v}=...")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(prefix ${WORK}/prefix)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  string(STRIP "${out}" out)
  message(STATUS "${what}: ${out}")
endfunction()

# --- install and the installed files ---
run("install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix} --component odoo_mock)
file(GLOB_RECURSE static_lib ${prefix}/libodoo_mock.a)
if(NOT static_lib)
  message(FATAL_ERROR "libodoo_mock.a is not installed")
endif()
get_filename_component(libdir ${static_lib} DIRECTORY)
file(GLOB soname ${libdir}/libodoo_mock.so.[0-9])
foreach(f bin/odoo-mock include/odoo_mock.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "${f} is not installed")
  endif()
endforeach()
foreach(f ${libdir}/libodoo_mock.so ${libdir}/pkgconfig/odoo-mock.pc
          ${libdir}/cmake/odoo_mock/odoo_mockConfig.cmake ${libdir}/cmake/odoo_mock/odoo_mockConfigVersion.cmake)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "${f} is not installed")
  endif()
endforeach()
if(NOT soname)
  message(FATAL_ERROR "libodoo_mock.so has no SOVERSION link (libodoo_mock.so.N)")
endif()
run("installed odoo-mock --help" ${prefix}/bin/odoo-mock --help)

# only odoo_mock_* leaves the shared library
find_program(NM nm)
if(NM)
  execute_process(COMMAND ${NM} -D --defined-only ${soname} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
  string(REGEX MATCHALL "[^\n]+" lines "${syms}")
  foreach(l ${lines})
    string(REGEX REPLACE "^.* " "" sym "${l}")
    if(NOT sym MATCHES "^odoo_mock_")
      message(FATAL_ERROR "libodoo_mock.so exports ${sym}")
    endif()
  endforeach()
endif()

# does the program load libodoo_mock.so (NEEDED), as it should (or not)?
find_program(READELF readelf)
function(check_needed exe want)
  if(NOT READELF)
    return()
  endif()
  execute_process(COMMAND ${READELF} -d ${exe} OUTPUT_VARIABLE dyn)
  string(FIND "${dyn}" "libodoo_mock.so" at)
  if(want AND at EQUAL -1)
    message(FATAL_ERROR "${exe} does not load libodoo_mock.so")
  elseif(NOT want AND NOT at EQUAL -1)
    message(FATAL_ERROR "${exe} loads libodoo_mock.so although linked statically")
  endif()
endfunction()

# --- find_package(odoo_mock) ---
set(app ${WORK}/cmake-app)
run("configure the find_package(odoo_mock) project" ${CMAKE_COMMAND} -S ${SRC} -B ${app}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${CC})
run("build it" ${CMAKE_COMMAND} --build ${app})
run("find_package, shared" ${app}/consumer)
run("find_package, static" ${app}/consumer_static)
check_needed(${app}/consumer ON)
check_needed(${app}/consumer_static OFF)

# --- pkg-config ---
# shared: pkg-config --cflags --libs odoo-mock. static: libodoo_mock.a with
# its dependencies' shared libraries. `--static` would also expand their
# own private dependencies (gnutls, ...) for a fully static link, which
# needs static libraries this machine may not have: check that it names
# the three, then link with their plain --libs.
find_program(PKGCONF pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${libdir}/pkgconfig)
function(pkgconf out)
  execute_process(COMMAND ${PKGCONF} ${ARGN} OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(${out} ${flags} PARENT_SCOPE)
endfunction()
pkgconf(static_flags --static --libs odoo-mock)
foreach(f -lodoo_mock -ljson-c -lmicrohttpd -lexpat -pthread)
  if(NOT f IN_LIST static_flags)
    message(FATAL_ERROR "pkg-config --static --libs odoo-mock lacks ${f}: ${static_flags}")
  endif()
endforeach()
pkgconf(shared_flags --cflags --libs odoo-mock)
pkgconf(deps_flags --libs json-c libmicrohttpd expat)
pkgconf(cflags --cflags odoo-mock)
set(exe ${WORK}/consumer_pc_shared)
run("pkg-config shared build" ${CC} -std=c11 -Wall -Wextra -Werror ${SRC}/consumer.c ${shared_flags} -o ${exe})
run("pkg-config, shared" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${libdir} ${exe})
check_needed(${exe} ON)
set(exe ${WORK}/consumer_pc_static)
run("pkg-config static build" ${CC} -std=c11 -Wall -Wextra -Werror ${SRC}/consumer.c ${cflags} ${static_lib}
    ${deps_flags} -pthread -o ${exe})
run("pkg-config, static" ${exe})
check_needed(${exe} OFF)
