# Compile each public header alone with -std=c11 -pedantic -Wall -Wextra -Werror,
# and once more as C++ when a C++ compiler is around (users include it from C++).
# FLAGS: more compiler flags (the event-loop adapters' -I of their loop).
file(MAKE_DIRECTORY ${WORK})
separate_arguments(FLAGS UNIX_COMMAND "${FLAGS}")
foreach(h ${HEADERS})
  get_filename_component(name ${h} NAME_WE)
  file(RELATIVE_PATH rel ${INCLUDE} ${h})
  string(MAKE_C_IDENTIFIER ${rel} id)
  set(src ${WORK}/${id}.c)
  file(WRITE ${src} "#include <${rel}>\n#include <${rel}>\nint main(void) { return 0; }\n")
  execute_process(COMMAND ${CC} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only ${FLAGS} -I${INCLUDE} ${src}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${rel} does not compile alone:\n${out}")
  endif()
  find_program(CXX NAMES g++ c++ clang++)
  if(CXX)
    foreach(std c++11 c++17 c++20)
      execute_process(COMMAND ${CXX} -x c++ -std=${std} -pedantic -Wall -Wextra -Werror -fsyntax-only ${FLAGS} -I${INCLUDE} ${src}
                      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${rel} does not compile as ${std}:\n${out}")
      endif()
    endforeach()
  endif()
  message(STATUS "ok ${rel}")
endforeach()

# The initialisers users write, in C and in every C++ standard: a partial
# brace list warns under -Wextra (missing-field-initializers) in C++.
set(src ${WORK}/initialisers.c)
file(WRITE ${src} "#include <odoo.h>\n#include <odoo/sys/protocol.h>\n"
     "int main(void) { odoo_options o = ODOO_OPTIONS_INIT; odoo_rpc_error e = ODOO_RPC_ERROR_INIT;\n"
     "  odoo_search_options s = ODOO_SEARCH_OPTIONS_INIT;\n"
     "  (void)o; (void)e; (void)s; return 0; }\n")
execute_process(COMMAND ${CC} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only ${FLAGS} -I${INCLUDE} ${src}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the _INIT macros warn in C:\n${out}")
endif()
if(CXX)
  foreach(std c++11 c++17 c++20)
    execute_process(COMMAND ${CXX} -x c++ -std=${std} -pedantic -Wall -Wextra -Werror -fsyntax-only ${FLAGS} -I${INCLUDE} ${src}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "the _INIT macros warn as ${std}:\n${out}")
    endif()
  endforeach()
endif()
message(STATUS "ok ODOO_OPTIONS_INIT, ODOO_RPC_ERROR_INIT, ODOO_SEARCH_OPTIONS_INIT")
