"""The ``remarkit`` command: parse arguments, dispatch, map errors to exit codes.

Exit codes: 0 ok, 1 a unit failed, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence

from remarkit._version import __version__
from remarkit.cli import export, new_plugin, plugins
from remarkit.errors import InputError, InputErrors, RemarkitError

EXIT_OK, EXIT_UNIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_TERMINATED = 128 + int(signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so every ``finally`` (staging clean-up) runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """One line on stderr (the usage is one ``--help`` away), exit code 2."""
        print(f"{self.prog}: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _lazy(target: str) -> Callable[[argparse.Namespace], int]:
    """The verb handler ``module:function``, imported when the verb runs: building the parser
    (``remarkit --help``) imports no engine, report or plugin module."""
    module_name, _, name = target.partition(":")

    def handler(args: argparse.Namespace) -> int:
        code: int = getattr(importlib.import_module(module_name), name)(args)
        return code

    return handler


def _positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1 (``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got '{text}'")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every verb that works."""
    parser = _Parser(prog="remarkit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"remarkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run_opts = _Parser(add_help=False)
    run_opts.add_argument("--out", default=None, help="output folder (default: <study dir>/report)")
    run_opts.add_argument(
        "--jobs", type=_positive_int, default=None, help="worker processes (default: all cores)"
    )
    run_opts.add_argument(
        "--executor",
        default="local",
        help="local (worker processes), dask (a local Dask cluster of --jobs workers, default 2)"
        " or dask://HOST:PORT (a running Dask scheduler; workers need remarkit and the same paths)",
    )
    run_opts.add_argument(
        "--cache-dir", default=None, help="cache folder (default: .remarkit-cache beside the spec)"
    )
    run_opts.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache"
    )
    run_opts.add_argument(
        "--templates",
        default=None,
        metavar="DIR",
        help="report template folder searched before the plugins' and the built-in templates",
    )

    demo = sub.add_parser(
        "demo", parents=[run_opts], help="write a built-in example study and run it"
    )
    demo.add_argument(
        "--study",
        choices=("hcc", "breast"),
        default="hcc",
        help="'hcc': the synthetic study shaped like the reference paper (default); 'breast': "
        "the GBSG 2 trial (progesterone receptor and recurrence-free survival)",
    )
    demo.add_argument("--seed", type=int, default=None, help="seed of the synthetic data")
    demo.set_defaults(handler=_lazy("remarkit.cli.commands:demo"))

    run = sub.add_parser("run", parents=[run_opts], help="run a study")
    run.add_argument("spec", help="study.toml")
    run.add_argument("--dry-run", action="store_true", help="validate and print the plan only")
    run.set_defaults(handler=_lazy("remarkit.cli.commands:run"))

    apply = sub.add_parser(
        "apply",
        parents=[run_opts],
        help="score a new cohort with a frozen model and evaluate it (external validation)",
    )
    apply.add_argument("model_dir", metavar="MODEL_DIR", help="output folder of the training run")
    apply.add_argument("spec", metavar="STUDY.toml", help="the new cohort's study.toml")
    apply.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="UNIT_ID",
        help="model unit of the training run to apply (repeatable; default: every fitted unit that can score a new cohort)",
    )
    apply.add_argument("--dry-run", action="store_true", help="verify and print the plan only")
    apply.set_defaults(handler=_lazy("remarkit.cli.commands:apply"))

    validate = sub.add_parser("validate", help="check a study spec and its input files")
    validate.add_argument("spec", help="study.toml")
    validate.set_defaults(handler=_lazy("remarkit.cli.commands:validate"))

    plugins.add_parser(sub)

    audit = sub.add_parser(
        "audit", help="check a report against its reporting checklists and re-hash its inputs"
    )
    audit.add_argument("target", metavar="REPORT_DIR|results.json", help="report folder or file")
    audit.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if an item is missing, an input changed or a unit no longer matches its result_sha256",
    )
    audit.add_argument("--json", action="store_true", help="machine-readable output")
    audit.add_argument(
        "--checklist",
        action="append",
        metavar="NAME",
        help="audit this checklist (remark, tripod-ai, clear, claim; repeatable); default: "
        "every checklist that applies to the run",
    )
    audit.add_argument(
        "--study-dir", default=None, help="folder of the study file (default: found beside)"
    )
    audit.set_defaults(handler=_lazy("remarkit.cli.audit:run_audit"))

    schema = sub.add_parser("schema", help="print the JSON Schema of results.json")
    schema.set_defaults(handler=_lazy("remarkit.cli.commands:schema"))

    new_plugin.add_parser(sub)
    export.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code. SIGTERM is handled like Ctrl-C (exit 143)."""
    args = build_parser().parse_args(argv)
    if threading.current_thread() is not threading.main_thread():
        return _dispatch(args)  # only the main thread may set signal handlers
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _dispatch(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        code: int = args.handler(args)
        return code
    except InputErrors as exc:
        for err in exc.errors:
            print(f"error: {err.format()}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(f"error: {exc.format()}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return EXIT_BAD_INPUT
    except RemarkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # the reader went away (e.g. `remarkit audit DIR | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Terminated:
        print("terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
