# Every line of examples/readme.c after its first (a comment saying what it
# is) must stand in README.md, in order, as one block.
file(READ ${EXAMPLE} example)
file(READ ${README} readme)
string(FIND "${example}" "\n" first_nl)
math(EXPR start "${first_nl} + 1")
string(SUBSTRING "${example}" ${start} -1 body)
string(FIND "${readme}" "${body}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md's quick start differs from examples/readme.c (copy the file, minus its first line, into the README's C block)")
endif()
