"""Input that cannot be used at all (exit code 2), as opposed to findings."""


class InputError(Exception):
    """A file that cannot be read as a report. The message is Chinese and names the place."""

    exit_code = 2


#: Files larger than this are refused before reading (bytes). Real reports are far smaller.
MAX_INPUT_BYTES = 50 * 1024 * 1024
