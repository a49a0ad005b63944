# The helpers of rules/download.smk.
from tomoclust.config import MODEL_DOWNLOAD_DIR, model_downloads

MODEL_DOWNLOADS = model_downloads(config["models"])


def fetch_model(destination, source, log_path):
    """The download_model rule's code (tomoclust.download, imported here: pooch is needed only to download)."""
    from tomoclust.download import fetch_model

    fetch_model(destination, source, log_path)
