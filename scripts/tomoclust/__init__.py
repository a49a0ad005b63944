"""Functions behind the tomography-clustering workflow.

Each module is importable without Snakemake and takes arrays, datasets and
tables, not paths; ``io`` reads and writes the workflow's files (``download``
downloads a model file). Each rule's script in ``scripts/`` reads
``snakemake.input``/``params``/``wildcards``, calls these and writes
``snakemake.output``. Heavy imports (tslearn, cartopy) stay inside the
functions that need them, so light jobs start fast.

Computing apart from drawing: the modules that compute (extract, preprocess,
fit, criteria, gather, grid, lineage, colors, compare, classify, windows,
joint, confidence, vote3d, explore, ...) import no matplotlib or cartopy
(tests/test_layout.py checks it). The figures live in the plotting modules,
one per kind of figure: ``maps``, ``profile_plots``, ``summary``,
``compare_plots``, ``classify_plots``, ``windows_plots``,
``lineage_plots``, ``vote3d_plots`` and the explore pages' ``explore_page``,
with the shared set-up in ``plotting``. Colours are computed in ``colors``
only, and put back on the model grid by ``grid``.
"""
