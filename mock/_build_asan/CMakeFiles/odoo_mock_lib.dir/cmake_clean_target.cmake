file(REMOVE_RECURSE
  "libodoo_mock_lib.a"
)
