# Empty dependencies file for odoo_mock_lib.
# This may be replaced when dependencies are built.
