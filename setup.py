"""Adds one step to the wheel build: the default theme (top-level ``templates/``) and the JSON
Schemas (``schemas/``) are copied into the package as ``explainer/templates/`` and
``explainer/schemas/``, so an installed package has them without a second copy in the repository.

Everything else is declared in pyproject.toml. An editable install copies nothing:
``explainer/resources.py`` then finds the folders beside the package.
"""

from __future__ import annotations

import os

from setuptools import setup
from setuptools.command.build_py import build_py

# repository folder -> folder inside the built package
SHIPPED = {"templates": os.path.join("explainer", "templates"), "schemas": os.path.join("explainer", "schemas")}


class BuildPyWithTheme(build_py):
    """build_py, plus the theme and schemas copied into the build tree that the wheel is made from."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for source, target in SHIPPED.items():
            self.copy_tree(source, os.path.join(self.build_lib, target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            for source, target in SHIPPED.items():
                for folder, _, names in os.walk(source):
                    inside = os.path.join(self.build_lib, target, os.path.relpath(folder, source))
                    outputs += [os.path.normpath(os.path.join(inside, name)) for name in names]
        return outputs


setup(cmdclass={"build_py": BuildPyWithTheme})
