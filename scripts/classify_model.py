"""Rule classify_model (rules/classify.smk): a target model's profiles -> the nearest centre of a reference fit."""

from tomoclust.classify import classification_dataset, classify_profiles
from tomoclust.io import read_dataset, write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import carried_citation, provenance_attrs


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    name, target_name = snakemake.wildcards.name, snakemake.wildcards.target
    reference_name, k = snakemake.params.reference["model"], int(snakemake.params.reference["k"])
    reference, target = read_dataset(snakemake.input.reference), read_dataset(snakemake.input.profiles)
    centers, own_fit = read_dataset(snakemake.input.centers), read_dataset(snakemake.input.own_fit)
    where = f"classification '{name}' (reference {reference_name}, k={k}), target '{target_name}'"
    result = classify_profiles(
        reference, centers, target, snakemake.params.metric, dict(snakemake.params.metric_params), where
    )
    cube = classification_dataset(target, own_fit, result, reference_name, k)
    cube.attrs.update(
        provenance_attrs(
            {"classify": name, "reference": dict(snakemake.params.reference), "target": target_name},
            inputs={"centres": snakemake.input.centers},
        )
    )
    cube.attrs.update(carried_citation(target.attrs))
    cube.attrs["reference_model_citation"] = reference.attrs.get("model_citation", "")
    log.info(
        "%s: %d profiles on %d shared depths (%.0f-%.0f km); ARI with the target's own k=%d fit %.3f, same "
        "category (own matched) on %.1f%% of the area; matching %s",
        where,
        result["labels"].size,
        result["depth"].size,
        result["depth"].min(),
        result["depth"].max(),
        k,
        cube.attrs["ari_with_own_fit"],
        cube.attrs["agreement_area_percent"],
        cube.attrs["own_category_matching"],
    )
    write_netcdf(cube, snakemake.output.labels)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821
