"""The plugin template behind ``remarkit new-plugin``: names, template files, rendering.

``write_plugin(plugin_names(NAME, family), folder)`` writes a ready, installable package: a
``pyproject.toml`` with the ``remarkit`` entry point, a unit with ``Params`` and ``Result`` models,
its report fragment (found through ``remarkit_template_dirs``), a README and a passing test.
"""

from remarkit.scaffold.names import PluginNames, plugin_names
from remarkit.scaffold.render import template_files, write_plugin

__all__ = ["PluginNames", "plugin_names", "template_files", "write_plugin"]
