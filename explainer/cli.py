"""Command line: thin functions that map flags to a Project and call the library.

Exit codes: 0 success, 1 content or config error, 2 usage error, 3 internal error (a bug).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .errors import ExplainerError, Report

if TYPE_CHECKING:  # for annotations only: commands import the heavy modules when they run
    from .config import Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _program_name() -> str:
    """How the user started us, for usage lines: build.py, explainer or python -m explainer."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "explainer"
    return "python -m explainer" if name == "__main__.py" else name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_program_name(),
        description="Explainer: build a cross-linked explainer site from articles and annotations.",
        epilog="Exit codes: 0 success, 1 content or config error, 2 usage error, 3 internal error.")
    parser.add_argument("--version", action="version", version=f"Explainer {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def site_command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--root", type=Path, default=Path("."), help="the site project (default: current folder)")
        sub.add_argument("--out", type=Path, default=None, help="output folder (default: site/ under the root)")
        sub.add_argument("--base-url", default=None, help="override base_url from config.yaml, e.g. /repo/")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        return sub

    build = site_command("build", "validate everything, then write the site")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed since the last build")
    check = site_command("check", "validate everything and write nothing")
    check.add_argument("--suggest-actors", action="store_true",
                       help="print an actor file to edit for each name no actor has (writes nothing)")
    check.add_argument("--write", action="store_true",
                       help="with --suggest-actors: write those files to content/actors/ (never over one)")
    serve = site_command("serve", "build, serve on localhost and rebuild on every change")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--no-drafts", action="store_true",
                       help="preview the public site: leave drafts and embargoed content out, as build does")
    deploy = site_command("deploy", "build, then publish the site to a GitHub Pages branch")
    deploy.add_argument("--remote", default=None, help="git remote to push to (default: config, else origin)")
    deploy.add_argument("--branch", default=None, help="branch to publish to (default: config, else gh-pages)")
    deploy.add_argument("--message", default=None, help="commit message for the published branch")

    imp = commands.add_parser("import", help="clean raw scraped articles (.txt, .html) into content/articles/",
                              description="Clean raw scraped articles (.txt, .html, or folders of them) into "
                                          "content/articles/.")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a file, or a folder of .txt/.html files")
    imp.add_argument("--root", type=Path, default=Path("."), help="the site project (default: current folder)")
    imp.add_argument("--source", default=None, help="name of the outlet (overrides what the file says)")
    imp.add_argument("--date", default=None, help="publication date YYYY-MM-DD when the file has none")
    imp.add_argument("--dry-run", action="store_true",
                     help="print the cleaned article and removed lines; write nothing")
    imp.add_argument("--force", action="store_true", help="overwrite an existing article")
    imp.add_argument("--keep-going", action="store_true",
                     help="import the good files even when others fail (the run still exits 1)")

    new = commands.add_parser("new", help="start a site project in a new folder, with one example of each kind",
                              description="Start a site project in DIR: config.yaml, example content, the "
                                          "GitHub Pages workflow and editor settings.")
    new.add_argument("dir", type=Path, metavar="DIR")
    new.add_argument("--bare", action="store_true", help="no example content, only the empty content folders")
    new.add_argument("--language", default="en", metavar="CODE", help="the site's language, e.g. fr (default: en)")
    new.add_argument("--force", action="store_true",
                     help="in a folder that is not empty, add only the missing files (never overwrites)")

    sug = commands.add_parser("suggest", help="draft an article's quotes and new actors for review",
                              description="Draft the quotes and new actors of an article into "
                                          "content/raw/SLUG.suggested.yaml (ignored by the build); "
                                          "--accept moves a checked draft into place and runs check.")
    sug.add_argument("article", metavar="ARTICLE", help="the article's slug or file")
    sug.add_argument("--root", type=Path, default=Path("."), help="the site project (default: current folder)")
    sug.add_argument("--accept", action="store_true", help="accept the checked draft, then run check")
    sug.add_argument("--force", action="store_true", help="replace an existing draft")

    vote = commands.add_parser(
        "import-vote", help="import recorded UN votes from a UN Digital Library voting CSV",
        description="Import recorded UN votes from a UN Digital Library voting CSV (one row per member per "
                    "resolution): all of them, or those selected. Re-importing keeps what editors added by hand.")
    vote.add_argument("file", type=Path, metavar="FILE")
    vote.add_argument("--symbol", "--resolution", dest="symbols", action="append", default=[], metavar="SYMBOL",
                      help="import this resolution, e.g. 'A/RES/ES-11/7' (repeatable; default: all in the file)")
    vote.add_argument("--since", type=_date, default=None, help="only votes on or after YYYY-MM-DD")
    vote.add_argument("--until", type=_date, default=None, help="only votes on or before YYYY-MM-DD")
    vote.add_argument("--body", choices=("security-council", "general-assembly"), default=None,
                      help="only votes of this body")
    vote.add_argument("--root", type=Path, default=Path("."), help="the site project (default: current folder)")
    vote.add_argument("--id", default=None, help="vote id, with one --symbol (default: derived from the symbol)")
    vote.add_argument("--dry-run", action="store_true", help="show what would be written and changed; write nothing")
    vote.add_argument("--force", action="store_true",
                      help="replace an existing vote file instead of updating it (drops hand-written fields)")
    return parser


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def report_lines(report: Report, strict: bool = False) -> list[str]:
    lines = [diagnostic.format() for diagnostic in report.sorted()]
    errors, warnings = len(report.errors), len(report.warnings)
    if errors or warnings:
        lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
                     f"{' (warnings are errors under --strict)' if strict and warnings else ''}")
    return lines


def print_report(report: Report, stream: TextIO, strict: bool = False) -> None:
    for line in report_lines(report, strict):
        stream.write(line + "\n")


def _load(args: argparse.Namespace) -> Project:
    from .config import load_config

    return load_config(args.root, args.out, args.base_url)


def cmd_build(args: argparse.Namespace, write: bool = True) -> int:
    from . import freshness
    from .outdir import output_path

    started = time.perf_counter()
    root = args.root.resolve()
    out_dir = output_path(args.out or root / "site")  # not resolved: a symlink must be seen, and refused
    options = {"out": str(out_dir), "base_url": str(args.base_url), "strict": str(args.strict)}
    inputs = freshness.input_stamps(root, options) if write and not args.force else None
    if inputs is not None:
        lines = freshness.is_fresh(root, out_dir, inputs)
        if lines is not None:
            for line in lines:
                sys.stderr.write(line + "\n")
            print(f"{out_dir} is up to date: nothing changed since the last build (--force rebuilds)")
            return EXIT_OK
    from . import pipeline

    project = _load(args)
    if not write:
        if getattr(args, "suggest_actors", False):  # every unknown name, as a warning, whatever config says
            validation = project.config.validation.model_copy(update={"unknown_name": "warning"})
            project = dataclasses.replace(project, config=project.config.model_copy(update={"validation": validation}))
        result = pipeline.build(project, strict=args.strict)
        print_report(result.report, sys.stderr, args.strict)
        if getattr(args, "suggest_actors", False):
            _suggest_actors(project.root, result, args.write)
        _print_held(result.held, result.next_release)
        from .importing.review import review_lines

        for line in review_lines(result.site):
            print(line)
        from .i18n import untranslated_lines

        for line in untranslated_lines(project.root, project.config.language):
            print(line)  # information, not a warning: English is the documented fallback
        print(f"checked {len(result.files)} pages: no errors")
        return EXIT_OK
    freshness.forget(root)
    result = pipeline.build_and_write(project, strict=args.strict, record=True, from_scratch=args.force)
    print_report(result.report, sys.stderr, args.strict)
    _print_held(result.held, result.next_release)
    _record_published(root, result)
    if inputs is not None:
        freshness.record(root, out_dir, inputs, report_lines(result.report, args.strict),
                         until=result.next_release.timestamp() if result.next_release else None)
    again = f" ({result.rendered} rendered, the others unchanged)" if result.kept else ""
    print(f"built {len(result.files)} pages{again} into {project.out_dir} in {time.perf_counter() - started:.2f}s")
    return EXIT_OK


def _suggest_actors(root: Path, result: object, write: bool) -> None:
    """``check --suggest-actors``: print a stub per unknown name; ``write``: write the new ones."""
    from .importing.actor_stubs import stubs, write_stubs

    site, report = getattr(result, "site", None), getattr(result, "report", None)
    assert isinstance(report, Report)
    actors = {actor_id: actor.name for actor_id, actor in site.actors.items()} if site is not None else {}
    found = stubs(report.diagnostics, actors)
    print(f"actor stubs for {len(found)} name{'s' * (len(found) != 1)} no actor has:")
    for stub in found:
        print(f"\n# content/actors/{stub.id}.yaml\n{stub.text()}", end="")
    if write:
        for path in write_stubs(root, found):
            print(f"wrote {path.relative_to(root).as_posix()}")
    elif found:
        print("\n(nothing written: check --suggest-actors --write writes the files that do not exist yet)")


def _record_published(root: Path, result: object) -> None:
    """published-urls.txt: what this build published, so a later one notices a page gone."""
    from .pages import published_pages
    from .redirects import write_record

    site = getattr(result, "site", None)
    if site is not None:
        write_record(root, published_pages(site), site.redirects)


def _print_held(held: Sequence[object], next_release: object) -> None:
    """What the build left out because it is not public yet (drafts, embargoes)."""
    if not held:
        return
    print(f"held back, not published ({len(held)}):")
    for item in held:
        print(f"  {item.path}: {item.kind} {item.key}: {item.reason}")  # type: ignore[attr-defined]
    if next_release is not None:
        print(f"the next embargo ends at {next_release.isoformat()}: build again after it")  # type: ignore[attr-defined]


def cmd_check(args: argparse.Namespace) -> int:
    if getattr(args, "write", False) and not args.suggest_actors:
        sys.stderr.write("error: --write writes actor stubs: use it with --suggest-actors\n")
        return EXIT_USAGE
    return cmd_build(args, write=False)


def cmd_serve(args: argparse.Namespace) -> int:
    from .preview.server import serve

    def load() -> Project:
        return dataclasses.replace(_load(args), show_held=not args.no_drafts)

    return serve(load(), host=args.host, port=args.port, open_browser=args.open, strict=args.strict,
                 reload_config=load)


def cmd_deploy(args: argparse.Namespace) -> int:
    from . import pipeline
    from .deploy import deploy

    project = _load(args)
    result = pipeline.build_and_write(project, strict=args.strict, record=True)
    print_report(result.report, sys.stderr, args.strict)
    settings = project.config.deploy
    remote, branch = args.remote or settings.remote, args.branch or settings.branch
    sha = deploy(project.out_dir, repo_dir=project.root, remote=remote, branch=branch, message=args.message,
                 cname=settings.cname)
    print(f"published {sha[:12]} to {remote}/{branch}")
    _record_published(project.root, result)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .config import load_config
    from .importing.articles import run_import

    project = load_config(args.root)
    profiles = project.config.importer.get("profiles")  # checked by load_config
    if not isinstance(profiles, dict):
        profiles = {}
    run_import(list(args.files), root=project.root, profiles=profiles, config_path=str(project.config_path),
               source=args.source, date=args.date, dry_run=args.dry_run, force=args.force, out=sys.stdout,
               keep_going=args.keep_going, progress=sys.stderr if sys.stderr.isatty() else None)
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace) -> int:
    from .importing.suggest_files import run_accept, run_suggest

    root = args.root.resolve()
    if not args.accept:
        run_suggest(root, args.article, force=args.force, out=sys.stdout)
        return EXIT_OK
    run_accept(root, args.article, out=sys.stdout)
    check = argparse.Namespace(root=root, out=None, base_url=None, strict=False, force=False)
    return cmd_check(check)


def cmd_import_vote(args: argparse.Namespace) -> int:
    from .importing.unvotes import Selection, run_import_vote

    selection = Selection(tuple(args.symbols), args.since, args.until, args.body)
    run_import_vote(args.file, root=args.root.resolve(), selection=selection, vote_id=args.id, force=args.force,
                    dry_run=args.dry_run, out=sys.stdout)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import create_project

    created = create_project(args.dir, language=args.language, bare=args.bare, force=args.force)
    for relative in created.kept:
        print(f"kept {relative} (already there)")
    print(f"created {len(created.written)} files in {args.dir}")
    print(f"next: cd {args.dir} && explainer serve   (or: explainer check, explainer build)")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": cmd_build, "check": cmd_check, "serve": cmd_serve, "deploy": cmd_deploy,
    "import": cmd_import, "import-vote": cmd_import_vote, "suggest": cmd_suggest, "new": cmd_new,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except ExplainerError as exc:
        if exc.report.diagnostics:
            print_report(exc.report, sys.stderr, getattr(args, "strict", False))
        else:
            sys.stderr.write(f"error: {exc}\n")
        return EXIT_CONTENT
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception:  # a bug in Explainer, not a mistake in the content
        if args.debug:
            traceback.print_exc()
        else:
            kind = sys.exc_info()[0].__name__  # type: ignore[union-attr]
            sys.stderr.write(f"internal error ({kind}): this is a bug in Explainer, not in your content. "
                             "Run again with --debug for the traceback and report it.\n")
        return EXIT_BUG
