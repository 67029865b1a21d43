"""The commands each command module registers, with their one-line help, in the order of the
top-level help.

``parindex --help`` lists the commands from here instead of building every command's parser (a
few hundred options: more than the rest of the help costs), and a command line that names a
command builds that command's module in full and the others' commands from here. Each module's
``register`` remains the definition: ``tests/cli/test_command_list.py`` checks that this list is
exactly what the modules register, so a command added there without a line here fails a test.
"""

from __future__ import annotations

#: command module → its commands, as ``(name, help)``, in the order it registers them.
COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "parindex.cli.core": (
        ("rulesets", "list the built-in and plugin rulesets"),
        ("show", "show a ruleset's tree with maxima, sources and status"),
        ("validate", "validate ruleset, assessment, parameter or survey fragment files"),
        ("score", "score an assessment"),
        ("explain", "explain where every point of a score came from"),
        ("rank", "score and rank several assessments (or a CSV)"),
        ("plugins", "list plugins, what they provide and any failures"),
        ("schema", "print the JSON Schema of a file format"),
    ),
    "parindex.cli.reproduce": (
        ("reproduce", "recompute a published dataset and compare totals, ranks and groups"),
        ("datasets", "list the bundled published datasets"),
    ),
    "parindex.cli.planning": (
        ("gaps", "list the nodes that lost points, or total them by lead agency"),
        ("targets", "evaluate a targets file against score cards (met, margin, what-if)"),
        ("compare", "compare two score cards (two years, or self-assessed vs appraised)"),
        ("report", "write a report (Markdown or self-contained HTML with SVG charts)"),
    ),
    "parindex.cli.authoring": (
        ("diff", "what changed between two ruleset versions"),
        ("new-ruleset", "make a plugin package for a new ruleset (installable, with tests)"),
        ("test", "run YAML test cases (*.case.yaml)"),
        ("import-table", "turn a criteria table (CSV, XLSX, XLS or ODS) into a YAML ruleset"),
        ("write-schemas", "write the JSON Schema files of every YAML format (for editors)"),
    ),
    "parindex.cli.perf": (
        (
            "sensitivity",
            "how stable is a ranking? Monte Carlo perturbation of inputs and cut-offs",
        ),
    ),
    "parindex.cli.examples": (("example", "list the shipped example files, or write one here"),),
    "parindex.cli.forms": (
        ("form", "write self-assessment workbooks (.xlsx) to fill in, one per unit"),
    ),
    "parindex.cli.survey": (
        ("survey", "turn raw survey answers into points for a ruleset's survey nodes"),
    ),
    "parindex.cli.history": (
        (
            "history",
            "index, rank, group and components of a unit year by year, with the changes",
        ),
    ),
}


def module_of(command: str) -> str | None:
    """The command module that registers ``command``, if it is one listed here."""
    for module, commands in COMMANDS.items():
        if any(name == command for name, _ in commands):
            return module
    return None


__all__ = ["COMMANDS", "module_of"]
