"""The code's shape, measured: modules, import arrows between them, import circles, the biggest
files and the longest functions, for Utils/ and the top-level scripts.

    python -m bench.structure            # the summary
    python -m bench.structure --arrows   # also every arrow, "importer -> imported"

An arrow is any import of one of our modules by another, at module level or inside a function
(a function-level import still ties the two together). A circle is a group of modules that reach
each other through arrows (a strongly connected component of two or more). Reads the files only;
imports nothing of the project.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def module_files(repo: Path = REPO) -> dict[str, Path]:
    """Dotted module name -> file, for Utils/*.py and the top-level *.py scripts."""
    files = {f"Utils.{p.stem}": p for p in sorted((repo / "Utils").glob("*.py")) if p.stem != "__init__"}
    files.update({p.stem: p for p in sorted(repo.glob("*.py"))})
    return files


def imported_names(tree: ast.AST, package: str) -> set[str]:
    """Every dotted name an import statement in tree reaches (both `import a.b` and `from a import b`
    give a.b as well as a, so a module imported through its package is found)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing module's package
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(filter(None, [*parent, base]))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def arrows(files: dict[str, Path]) -> set[tuple[str, str]]:
    """(importer, imported) for each pair of our modules where the first imports the second."""
    found = set()
    for name, path in files.items():
        package = name.rpartition(".")[0]
        for target in imported_names(ast.parse(path.read_text()), package):
            if target in files and target != name:
                found.add((name, target))
    return found


def circles(nodes, edges: set[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components of two or more modules (Tarjan's algorithm)."""
    out = {n: sorted(b for a, b in edges if a == n) for n in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in out[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return sorted(found)


def functions(files: dict[str, Path]) -> list[tuple[int, str]]:
    """(lines, "module.qualified_name") for every function and method, nested ones included."""
    found = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((child.end_lineno - child.lineno + 1, f"{prefix}.{child.name}"))
                walk(child, f"{prefix}.{child.name}")
            elif isinstance(child, ast.ClassDef):
                walk(child, f"{prefix}.{child.name}")
            else:
                walk(child, prefix)

    for name, path in files.items():
        walk(ast.parse(path.read_text()), name)
    return sorted(found, reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arrows", action="store_true", help="also print every import arrow")
    parser.add_argument("--top", type=int, default=10, help="how many biggest files and longest functions to list")
    args = parser.parse_args(argv)

    files = module_files()
    edges = arrows(files)
    loops = circles(files, edges)
    sizes = sorted(((len(p.read_text().splitlines()), n) for n, p in files.items()), reverse=True)
    funcs = functions(files)
    print(f"modules: {len(files)} ({sum(n.startswith('Utils.') for n in files)} in Utils/, "
          f"{sum(not n.startswith('Utils.') for n in files)} top-level scripts)")
    print(f"import arrows: {len(edges)}")
    print(f"import circles: {len(loops)}")
    for loop in loops:
        print(f"  {' <-> '.join(loop)}")
    print(f"modules over {MAX_MODULE_LINES} lines: {sum(lines > MAX_MODULE_LINES for lines, _ in sizes)}; "
          f"functions over {MAX_FUNCTION_LINES} lines: {sum(lines > MAX_FUNCTION_LINES for lines, _ in funcs)}")
    print("biggest files (lines):")
    for lines, name in sizes[: args.top]:
        print(f"  {lines:5d}  {name}")
    print("longest functions (lines):")
    for lines, name in funcs[: args.top]:
        print(f"  {lines:5d}  {name}")
    if args.arrows:
        print("arrows:")
        for a, b in sorted(edges):
            print(f"  {a} -> {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
