#!/usr/bin/env python3
"""Fail if a crate declares a dependency it does not use (STYLE.md: "a crate declares only the
dependencies it uses").

For every package of the workspace (the root package and each member):
- a `[dependencies]` entry must be named in the package's `src/` (as `name::`, `name!`,
  `use name` or `extern crate name`); one named only by tests, benches or examples belongs in
  `[dev-dependencies]`;
- a `[dev-dependencies]` entry must be named in `src/`, `tests/`, `benches/` or `examples/`.
An entry of `[workspace.dependencies]` must be inherited by some package. Comment lines do not
count. Needs nothing but Python 3.11 (tomllib); runs in well under a second.
"""

import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def sources(pkg: pathlib.Path, dirs):
    text = []
    for d in dirs:
        for f in sorted((pkg / d).rglob("*.rs")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if not line.lstrip().startswith("//"):
                    text.append(line)
    return "\n".join(text)


def tables(manifest, kind):
    """`kind` entries of the manifest, including `[target.'cfg(..)'.kind]`."""
    found = dict(manifest.get(kind, {}))
    for target in manifest.get("target", {}).values():
        found.update(target.get(kind, {}))
    return found


def used(name, text):
    ident = re.escape(name.replace("-", "_"))
    pattern = rf"(\b{ident}\s*(::|!)|\buse\s+{ident}\b|\bextern\s+crate\s+{ident}\b)"
    return re.search(pattern, text) is not None


def main():
    root_manifest = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    packages = [ROOT] + [ROOT / m for m in root_manifest["workspace"]["members"]]
    problems = []
    for pkg in packages:
        manifest = tomllib.loads((pkg / "Cargo.toml").read_text(encoding="utf-8"))
        name = manifest["package"]["name"]
        lib_text = sources(pkg, ["src"])
        all_text = sources(pkg, ["src", "tests", "benches", "examples"])
        for dep in tables(manifest, "dependencies"):
            if used(dep, lib_text):
                continue
            if used(dep, all_text):
                problems.append(f"{name}: `{dep}` is used only by tests, benches or examples: make it a dev-dependency")
            else:
                problems.append(f"{name}: dependency `{dep}` is not used")
        for dep in tables(manifest, "dev-dependencies"):
            if not used(dep, all_text):
                problems.append(f"{name}: dev-dependency `{dep}` is not used")
    # A `[workspace.dependencies]` entry that no package inherits is dead too.
    inherited = set()
    for pkg in packages:
        manifest = tomllib.loads((pkg / "Cargo.toml").read_text(encoding="utf-8"))
        for kind in ("dependencies", "dev-dependencies", "build-dependencies"):
            inherited.update(tables(manifest, kind))
    for dep in root_manifest["workspace"].get("dependencies", {}):
        if dep not in inherited:
            problems.append(f"workspace: `{dep}` in [workspace.dependencies] is used by no package")
    for p in problems:
        print(p)
    if problems:
        print(f"unused-deps: {len(problems)} problem(s)")
        return 1
    print(f"unused-deps: {len(packages)} packages, every dependency used")
    return 0


if __name__ == "__main__":
    sys.exit(main())
