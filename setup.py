"""Build hook: ship the root-level registry.toml inside the `remarkit` package of wheels."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithRegistry(build_py):
    """Copy registry.toml next to remarkit/__init__.py in the build tree."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "remarkit" / "registry.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(__file__).parent / "registry.toml", target)


setup(cmdclass={"build_py": BuildWithRegistry})
