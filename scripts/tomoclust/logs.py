"""Send a script's log records, warnings and the error that ends it to its rule's ``log:`` file."""

from __future__ import annotations

import logging
import sys


def setup_logging(log_path: str | None, level: int = logging.INFO) -> logging.Logger:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w"))
    logging.basicConfig(
        level=level, handlers=handlers, force=True, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.captureWarnings(True)
    for noisy in ("matplotlib", "fontTools", "PIL", "numba", "shapely", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log = logging.getLogger("tomoclust")

    def log_uncaught(exc_type, exc, traceback):
        # The reason a job failed belongs at the end of its log, which Snakemake names.
        log.error("%s: %s", exc_type.__name__, exc, exc_info=(exc_type, exc, traceback))

    sys.excepthook = log_uncaught
    return log


def log_path_of(snakemake) -> str | None:
    return str(snakemake.log[0]) if len(snakemake.log) else None
