"""The report document: what the filer publishes.

:mod:`.narrative` turns a :class:`~addin.model.Report` into a :class:`~.narrative.Document`
(title, preamble, six sections of prose with generated sentences, the three tables);
:mod:`.docx_writer`, :mod:`.html_writer` and :mod:`.pdf` render that one document.
:mod:`.prose_check` reads the clerk's own prose and compares the figures it states
with the tables.
"""
