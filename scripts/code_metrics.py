#!/usr/bin/env python3
# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Print the house figures of a tree of addons: its Python files over a number
of lines and its functions and methods over a number of lines, longest first.

    python3 scripts/code_metrics.py                  # addons/, 500 and 60 lines
    python3 scripts/code_metrics.py addons/municipal_it_lease --file-lines 400
    python3 scripts/code_metrics.py --no-tests       # leave tests/ out

A file's length is its number of lines; a function's is from its ``def`` line
(its decorators not counted) to its last line, docstring and comments
included, as an editor shows it. The summary line counts every Python file
read, its lines and the median function length.
"""

import argparse
import ast
import statistics
import sys
from pathlib import Path


def _functions(tree):
    """Yield (qualified name, first line, length) of every function of the
    module, methods and nested functions included."""

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                length = child.end_lineno - child.lineno + 1
                yield f"{prefix}{child.name}", child.lineno, length
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def measure(root, include_tests=True):
    """Return (files, functions): ``files`` a list of (path, lines) and
    ``functions`` a list of (path, line, name, length) for every Python file
    under ``root``."""
    files, functions = [], []
    for path in sorted(Path(root).rglob("*.py")):
        if not include_tests and "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        files.append((path, len(text.splitlines())))
        tree = ast.parse(text, filename=str(path))
        for name, line, length in _functions(tree):
            functions.append((path, line, name, length))
    return files, functions


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", default="addons")
    parser.add_argument("--file-lines", type=int, default=500)
    parser.add_argument("--function-lines", type=int, default=60)
    parser.add_argument("--no-tests", action="store_true", help="leave tests/ out")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if not root.is_dir():
        parser.error(f"{root} is not a folder")
    files, functions = measure(root, include_tests=not args.no_tests)

    big_files = sorted(
        (item for item in files if item[1] > args.file_lines),
        key=lambda item: (-item[1], str(item[0])),
    )
    print(f"files over {args.file_lines} lines: {len(big_files)}")
    for path, lines in big_files:
        print(f"  {lines:6d}  {path.relative_to(root)}")

    long_functions = sorted(
        (item for item in functions if item[3] > args.function_lines),
        key=lambda item: (-item[3], str(item[0]), item[1]),
    )
    print(f"functions over {args.function_lines} lines: {len(long_functions)}")
    for path, line, name, length in long_functions:
        print(f"  {length:6d}  {path.relative_to(root)}:{line}  {name}")

    total = sum(lines for __, lines in files)
    median = statistics.median(item[3] for item in functions) if functions else 0
    print(
        f"summary: {len(files)} Python files, {total} lines, "
        f"{len(functions)} functions, median {median:g} lines"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
