# Empty dependencies file for odoo-mock-tests.
# This may be replaced when dependencies are built.
