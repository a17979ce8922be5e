"""Writers: a report (and its findings) to workbooks, documents and JSON."""
