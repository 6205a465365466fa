# Compile each public header alone with -std=c11 -pedantic -Wall -Wextra -Werror,
# and once more as C++ when a C++ compiler is around (users include it from C++).
file(MAKE_DIRECTORY ${WORK})
foreach(h ${HEADERS})
  get_filename_component(name ${h} NAME_WE)
  file(RELATIVE_PATH rel ${INCLUDE} ${h})
  string(MAKE_C_IDENTIFIER ${rel} id)
  set(src ${WORK}/${id}.c)
  file(WRITE ${src} "#include <${rel}>\n#include <${rel}>\nint main(void) { return 0; }\n")
  execute_process(COMMAND ${CC} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I${INCLUDE} ${src}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${rel} does not compile alone:\n${out}")
  endif()
  find_program(CXX NAMES g++ c++ clang++)
  if(CXX)
    execute_process(COMMAND ${CXX} -x c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I${INCLUDE} ${src}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${rel} does not compile as C++:\n${out}")
    endif()
  endif()
  message(STATUS "ok ${rel}")
endforeach()
