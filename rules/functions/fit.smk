# The helpers of rules/fit.smk.
from tomoclust.config import check_chunk_counts, check_k_counts


def chunk_priority(ks):
    """Larger k first, so that no long job is left running alone at the end (none with a {k} wildcard)."""
    return 0 if ks == ["{k}"] else ks[-1]


def read_attributes(path, names):
    """Global attributes of a netCDF file, at DAG time (tomoclust.io, imported here: netCDF4 is no parse-time need)."""
    from tomoclust.io import read_attributes

    return read_attributes(path, names)


def extracted_profiles(wildcards):
    """profiles.nc once the extraction checkpoint has run; a k.max its profiles cannot hold stops the run here,
    before any fit job starts (with the count and the key to change)."""
    path = checkpoints.extract_profiles.get(model=wildcards.model).output.profiles
    counts = read_attributes(path, ("n_fit_profiles", "n_profiles"))
    check_k_counts(
        K_VALUES,
        int(counts["n_fit_profiles"]),
        int(counts["n_profiles"]),
        wildcards.model,
        path,
    )
    check_chunk_counts(K_CHUNKS, int(counts["n_fit_profiles"]), wildcards.model, path)
    return path
