"""Extra routes of the add-in (xlwings Server loads ``routers.custom``)."""
