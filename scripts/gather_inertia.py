"""Rule gather_inertia: fits -> inertia.csv and k_selection.json (the knee)."""
import json

from tomoclust.gather import find_knee, inertia_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.provenance import write_text


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    table = inertia_table(snakemake.input.fits)
    selection = find_knee(table["k"].to_numpy(), table["inertia"].to_numpy(), snakemake.params.sensitivity)
    selection["model"] = snakemake.wildcards.model
    selection["units"] = str(table["units"].iloc[0]) if len(table) else ""
    write_text(table.drop(columns="units").to_csv(index=False), snakemake.output.table)
    write_text(json.dumps(selection, indent=2) + "\n", snakemake.output.selection)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)
