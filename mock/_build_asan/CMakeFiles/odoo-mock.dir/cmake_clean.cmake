file(REMOVE_RECURSE
  "CMakeFiles/odoo-mock.dir/src/main.c.o"
  "CMakeFiles/odoo-mock.dir/src/main.c.o.d"
  "odoo-mock"
  "odoo-mock.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/odoo-mock.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
