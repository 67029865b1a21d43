"""Authoring commands: diff, new-ruleset, test, import-table, write-schemas."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DIFF_EPILOG = """\
examples (`parindex example planning` writes the two files of the last one):
  parindex diff moha.province@2022 moha.province@2024
  parindex diff moha.province@2017 moha.province@2018 --provenance --format markdown
  parindex example planning
  parindex diff planning/rulesets/example-province-2020.yaml \\
      planning/rulesets/example-province-2021.yaml -f json
"""

IMPORT_EPILOG = """\
The table: one header row, then one row per node. Columns (English or Vietnamese headers):
  code (Mã, STT) · title (Tiêu chí) · maximum (Điểm tối đa) · rule (Cách chấm điểm)
  optional: title_en, method, status, note (Ghi chú), clause (Điều khoản), lead_agency
Rules:  choice: Ban hành kịp thời = 1; Ban hành không kịp thời = 0.5; Không ban hành = 0
        tiers: > 90% = 2; 70% - 90% = 1; < 70% = 0
        points · points: step=0.25 · proportional: target=100 · count: per_item=0.5, cap=2
        deduction: per_violation=0.25 · {kind: ..., ...} (any rule, as YAML)
See docs/authoring.md. Exit status 1 when some row could not be used or the result does not
validate (the YAML is still written, with those rows listed at its top).
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "diff",
        help="what changed between two ruleset versions",
        description="Nodes added, removed and changed (old → new maximum, rule, title, ...),"
        " and ruleset-level changes, between two rulesets: RULESET@VERSION or YAML files.",
        epilog=DIFF_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("old", help="RULESET@VERSION (e.g. moha.province@2022) or a YAML file")
    p.add_argument("new", help="RULESET@VERSION or a YAML file")
    p.add_argument(
        "--provenance",
        action="store_true",
        help="also compare sources, statuses and notes",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "json", "markdown"],
        default="table",
        help="output format (default: table)",
    )
    p.set_defaults(handler=cmd_diff)

    p = sub.add_parser(
        "new-ruleset",
        help="make a plugin package for a new ruleset (installable, with tests)",
        description="Make a folder holding a parindex plugin package: pyproject.toml with the"
        " entry point, a skeleton ruleset, a YAML test case and a README. `pip install DIR`"
        " installs it; `pytest DIR` passes as made.",
    )
    p.add_argument("directory", help="the folder to create (new or empty)")
    p.add_argument(
        "--id", required=True, dest="ruleset_id", help="ruleset id, e.g. camau.department"
    )
    p.add_argument("--years", required=True, help="years covered: 2013, 2013,2014 or 2021-2025")
    p.add_argument("--version", dest="rs_version", help="version name (default: the first year)")
    p.add_argument(
        "--unit-kind",
        default="department",
        choices=["province", "department", "district", "commune", "agency"],
        help="the kind of unit scored (default: department)",
    )
    p.add_argument("--authority", help="who issues the decision, e.g. 'UBND tỉnh Cà Mau'")
    p.add_argument("--title", help="the ruleset's title (Vietnamese)")
    p.add_argument("--document", help="the decision's number, e.g. 1880/QĐ-UBND")
    p.add_argument("--package", help="Python package name (default: parindex_<id>)")
    p.set_defaults(handler=cmd_new_ruleset)

    p = sub.add_parser(
        "test",
        help="run YAML test cases (*.case.yaml)",
        description="Score each case's assessment and compare with the points, total, index"
        " and group it expects. A failure shows expected against actual for each node, with"
        " the node's trace.",
    )
    p.add_argument("paths", nargs="+", help="case files, or folders searched for *.case.yaml")
    p.add_argument("--quiet", "-q", action="store_true", help="print failures and the summary only")
    p.set_defaults(handler=cmd_test)

    p = sub.add_parser(
        "import-table",
        help="turn a criteria table (CSV, XLSX, XLS or ODS) into a YAML ruleset",
        description="Read a criteria table (code, title, maximum, rule columns) and write a"
        " YAML ruleset, reporting the rows it cannot interpret. XLS and ODS need"
        " python-calamine: pip install 'parindex[ods]'.",
        epilog=IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "table", help="a .csv (UTF-8, comma or semicolon), .xlsx, or .xls/.ods (parindex[ods]) file"
    )
    p.add_argument(
        "--id", required=True, dest="ruleset_id", help="ruleset id, e.g. camau.department"
    )
    p.add_argument("--years", required=True, help="years covered: 2013, 2013,2014 or 2021-2025")
    p.add_argument("--version", dest="rs_version", help="version name (default: the first year)")
    p.add_argument(
        "--unit-kind",
        required=True,
        choices=["province", "department", "district", "commune", "agency"],
    )
    p.add_argument("--authority", help="who issues the decision")
    p.add_argument("--title", help="the ruleset's title (Vietnamese)")
    p.add_argument("--document", help="the decision's number, e.g. 1880/QĐ-UBND")
    p.add_argument("--date", help="the decision's date, YYYY-MM-DD")
    p.add_argument("--url", help="where the decision can be read")
    p.add_argument("--maximum", help="the published total maximum (omit if not published)")
    p.add_argument(
        "--status",
        choices=["confirmed", "derived", "unverified"],
        default="unverified",
        help="status of the whole set (default: unverified, until checked against the decision)",
    )
    p.add_argument("--sheet", help="a workbook's sheet to read (default: the first)")
    p.add_argument("--output", "-o", help="write the YAML here (atomically) instead of stdout")
    p.set_defaults(handler=cmd_import_table)

    p = sub.add_parser(
        "write-schemas",
        help="write the JSON Schema files of every YAML format (for editors)",
        description="Write ruleset, amendment, assessment, parameters, case, responsibility"
        " and target schemas as <name>.schema.json; with --check, only compare.",
    )
    p.add_argument("directory", nargs="?", default="schemas", help="default: ./schemas")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a file is missing or differs",
    )
    p.set_defaults(handler=cmd_write_schemas)


# ----------------------------------------------------------------------------------------- diff
def _ruleset(spec: str) -> Any:
    from parindex import api
    from parindex.model.errors import UnknownRulesetError

    if spec.endswith((".yaml", ".yml")) or Path(spec).is_file():
        return api.load_ruleset(spec)
    rid, at, version = spec.partition("@")
    if not at or not rid or not version:
        raise UnknownRulesetError(
            f"{spec!r}: give RULESET@VERSION (e.g. moha.province@2022) or a YAML file",
            hint="`parindex rulesets` lists the ids and versions",
        )
    return api.get_ruleset(rid, version=version)


def cmd_diff(args: argparse.Namespace) -> int:
    from parindex.api import diff_rulesets

    result = diff_rulesets(_ruleset(args.old), _ruleset(args.new), provenance=args.provenance)
    if args.format == "json":
        print(result.to_json())
    else:
        print(result.to_table("pipe" if args.format == "markdown" else "simple"))
    return 0


# ---------------------------------------------------------------------------------- new-ruleset
def cmd_new_ruleset(args: argparse.Namespace) -> int:
    from parindex.api import new_ruleset, parse_years

    written = new_ruleset(
        args.directory,
        ruleset_id=args.ruleset_id,
        years=parse_years(args.years),
        version=args.rs_version,
        unit_kind=args.unit_kind,
        package=args.package,
        authority=args.authority,
        title=args.title,
        document=args.document,
    )
    from parindex.model.i18n import gettext as _

    root = Path(args.directory)
    print(_("made {folder}/ with {count} files:").format(folder=root, count=len(written)))
    for path in written:
        print(f"  {path.relative_to(root)}")
    then = _("next: pip install -e '{folder}[test]' && pytest {folder}   (see {folder}/README.md)")
    print(then.format(folder=root))
    return 0


# ----------------------------------------------------------------------------------------- test
def cmd_test(args: argparse.Namespace) -> int:
    from parindex.api import run_cases

    passed = failed = 0
    for result in run_cases(args.paths):
        if result.passed:
            passed += 1
            if not args.quiet:
                print(f"PASS {result.name} ({result.where})")
        else:
            failed += 1
            print(f"FAIL {result.report()}")
    total = passed + failed
    if total == 0:
        print("no cases found (case files are named *.case.yaml)", file=sys.stderr)
        return 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


# --------------------------------------------------------------------------------- import-table
def cmd_import_table(args: argparse.Namespace) -> int:
    from parindex.api import atomic_write_text, default_registry, import_table, parse_years
    from parindex.model.decimals import NumberError, to_decimal
    from parindex.model.errors import SchemaError

    years = parse_years(args.years)
    source: dict[str, Any] = {"document": args.document}
    if args.date:
        source["date"] = args.date
    if args.url:
        source["url"] = args.url
    header: dict[str, Any] = {
        "id": args.ruleset_id,
        "version": args.rs_version or str(years[0]),
        "years": list(years),
    }
    if args.authority:
        header["authority"] = {"vi": args.authority}
    header["unit_kind"] = args.unit_kind
    if args.title:
        header["title"] = {"vi": args.title}
    header["source"] = source
    header["status"] = args.status
    if args.maximum:
        try:
            header["maximum"] = to_decimal(args.maximum.replace(",", "."))
        except NumberError as exc:
            raise SchemaError(str(exc), field="maximum") from None
    result = import_table(args.table, header, default_registry().rule_kinds, sheet=args.sheet)
    text = result.to_yaml(Path(args.table).name)
    if args.output:
        atomic_write_text(args.output, text)
    else:
        sys.stdout.write(text)
    err = sys.stderr
    for note in result.notes:
        print(f"parindex: note: {note}", file=err)
    if not args.document:
        print("parindex: note: no --document: fill in the source before use", file=err)
    for problem in result.problems:
        print(f"parindex: {args.table}: {problem}", file=err)
    where = f" → {args.output}" if args.output else ""
    print(
        f"parindex: {result.rows} rows read, {result.nodes} nodes written{where};"
        f" {len(result.problems)} problem(s)",
        file=err,
    )
    return 1 if result.problems else 0


# -------------------------------------------------------------------------------- write-schemas
def cmd_write_schemas(args: argparse.Namespace) -> int:
    from parindex.api import schema_files

    directory = Path(args.directory)
    files = schema_files()
    if args.check:
        stale = [
            name
            for name, text in files.items()
            if not (directory / name).is_file()
            or (directory / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"parindex: {directory / name} is missing or out of date", file=sys.stderr)
        if stale:
            print(f"regenerate with: parindex write-schemas {directory}", file=sys.stderr)
            return 1
        print(f"{len(files)} schema files in {directory} are current")
        return 0
    from parindex.api import atomic_write_text

    for name, text in files.items():
        atomic_write_text(directory / name, text)
        print(directory / name)
    return 0
