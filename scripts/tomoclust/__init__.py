"""Functions behind the tomography-clustering workflow.

Each module is importable without Snakemake and takes arrays, datasets and
tables, not paths; ``io`` reads and writes the workflow's files. Each rule's
script in ``scripts/`` reads ``snakemake.input``/``params``/``wildcards``,
calls these and writes ``snakemake.output``. Heavy imports (tslearn,
cartopy) stay inside the functions that need them, so light jobs start fast.
"""
