"""Rule plot_joint (rules/joint.smk): joint.nc -> for each k, the joint categories and every variable's centres."""

from tomoclust.io import read_dataset
from tomoclust.joint_plots import plot_joint
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import MapStyle
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import figure_paths, save_figure
from tomoclust.units import display_units


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    cube, model = read_dataset(snakemake.input.joint), snakemake.wildcards.model
    names = [name.strip() for name in cube.attrs["variables"].split(",")]
    style = MapStyle.from_config(dict(snakemake.params.style))
    for k, paths in figure_paths(snakemake.output).items():
        centers = {name: cube[f"centers_{name}"].sel(k=k).values[:k] for name in names}
        depths = {name: cube[f"depth_{name}"].values for name in names}
        units = {name: display_units(cube[f"centers_{name}"].attrs.get("units", "")) for name in names}
        title = f"{model}: joint fit of {', '.join(names)}, k = {k}"
        figure = plot_joint(
            cube["latitude"].values,
            cube["longitude"].values,
            cube["labels"].sel(k=k).values,
            centers,
            depths,
            units,
            k,
            title,
            style,
        )
        save_figure(figure, *paths, citation=snakemake.params.citation, title=title)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821
