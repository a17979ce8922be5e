"""Authentication providers of the xlwings Server project (``XLWINGS_AUTH_PROVIDERS``)."""
