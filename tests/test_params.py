"""Params carry only what the job uses: the extraction's params are the fields its code reads (the dry runs of
config variants that rerun nothing: test_params_workflow.py)."""

import dataclasses


def test_extraction_keys_are_the_model_spec_fields():
    """The extraction's params (config.EXTRACTION_KEYS) are exactly what tomoclust.extract.ModelSpec reads."""
    from tomoclust.config import EXTRACTION_KEYS
    from tomoclust.extract import ModelSpec

    assert set(EXTRACTION_KEYS) == {field.name for field in dataclasses.fields(ModelSpec)}
