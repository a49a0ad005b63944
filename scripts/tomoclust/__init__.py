"""Functions behind the tomography-clustering workflow.

Each module is importable without Snakemake; the files in ``scripts/`` are
thin shells that read ``snakemake.input``/``params`` and call these.
Heavy imports (tslearn, matplotlib, cartopy) stay inside the modules that
need them so light rules start fast.
"""
