# Empty dependencies file for odoo-mock.
# This may be replaced when dependencies are built.
