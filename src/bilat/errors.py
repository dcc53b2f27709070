"""bilat's errors. Every message names the file (or the thing) and the reason, in one line.

The library raises these; the command line prints `str(error)` and exits non-zero, with a traceback only
under `--debug`. Input errors are caught per file by the pipeline and recorded in the quarantine table
instead of stopping the run.
"""
from __future__ import annotations


class BilatError(Exception):
    """Base class of every error bilat raises on purpose."""


class InputError(BilatError):
    """An input file or record cannot be used. The run sets it aside and goes on."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class NothingIngested(BilatError):
    """No input of a run could be used."""


class StoreError(BilatError):
    """The store cannot be opened or written."""


class UsageError(BilatError):
    """A command was called with arguments that do not make sense (unknown country, bad field mapping...)."""


class DataFileError(BilatError):
    """A knowledge file under bilat/data (or a user's replacement) is malformed."""


class FetchError(BilatError):
    """A feed or page cannot be fetched (down, slow, redirecting in a loop, refused by robots.txt). `bilat watch`
    logs it as one line for that source and goes on with the others."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")
