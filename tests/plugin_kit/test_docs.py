"""Meta-tests: every hook is documented in docs/plugins.md with its exact signature and has a
test; every method of ``Unit`` (and ``apply``) is in the unit contract with its signature; every
code example in the guide parses and imports only the public API; every remarkit.testing
fixture is documented; the scaffold and the example plugin import no engine internals."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import remarkit
import remarkit.testing
from remarkit.engine import hookspecs
from remarkit.engine.fitted import AppliesFitted, Fitted
from remarkit.engine.unit import Unit
from remarkit.testing import plugin as testing_plugin
from tests.plugin_kit.conftest import DOCS

HOOK_TESTS = Path(__file__).with_name("test_hooks.py")
FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)
HEADING = re.compile(r"^### `(remarkit_\w+)`$", re.MULTILINE)


def _hook_specs() -> dict[str, ast.FunctionDef]:
    """Hook name -> its definition in hookspecs.py (functions decorated with @hookspec)."""
    tree = ast.parse(inspect.getsource(hookspecs))
    specs = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Name) and d.id == "hookspec" for d in node.decorator_list)
    }
    assert specs, "no hookspecs found"
    return specs


def _signature(node: ast.FunctionDef) -> str:
    returns = ast.unparse(node.returns) if node.returns else "None"
    return f"{node.name}({ast.unparse(node.args)}) -> {returns}"


def _functions(code: str) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.FunctionDef)]


def _guide() -> str:
    return DOCS.read_text(encoding="utf-8")


def _method_signature(name: str, function: object) -> str:
    """``name(args) -> returns`` as the guide writes it: annotations left out of the args."""
    parameters = inspect.signature(function).parameters  # type: ignore[arg-type]
    args = ", ".join(parameters)
    returns = inspect.signature(function).return_annotation  # type: ignore[arg-type]
    shown = returns if isinstance(returns, str) else getattr(returns, "__name__", str(returns))
    return f"{name}({args}) -> {'Result' if shown == 'R' else shown}"  # Unit[P, R]: R is Result


def _unit_methods() -> dict[str, str]:
    """Every public method of ``Unit`` and the protocol's ``apply``, as the guide shows them."""
    methods = {
        name: _method_signature(name, getattr(Unit, name).__func__)
        if isinstance(inspect.getattr_static(Unit, name), classmethod)
        else _method_signature(name, getattr(Unit, name))
        for name in dir(Unit)
        if not name.startswith("_") and callable(getattr(Unit, name))
    }
    methods["apply"] = _method_signature("apply", AppliesFitted.apply)
    return methods


def _contract_rows() -> dict[str, str]:
    """The unit contract table's method rows: name -> the signature in the first cell."""
    text = _guide()
    start = text.index("## The unit contract")
    end = text.index("\n## ", start + 1)
    rows = re.findall(r"^\| `(\w+)\((.*?)\) -> (.*?)` \|", text[start:end], re.MULTILINE)
    return {name: f"{name}({args}) -> {returns}" for name, args, returns in rows}


def test_every_unit_method_is_in_the_contract_with_its_signature() -> None:
    documented = _contract_rows()
    expected = _unit_methods()
    assert set(expected) >= {"needs", "run", "methods", "apply", "fixed_thresholds"}
    assert sorted(documented) == sorted(expected), "method rows of the unit contract table"
    for name, signature in expected.items():
        assert documented[name] == signature, f"docs/plugins.md documents {documented[name]}"


def test_fitted_and_the_set_names_are_documented() -> None:
    text = _guide()
    for field in Fitted.__dataclass_fields__:
        assert f"| `{field}` |" in text, f"Fitted.{field} is not in the guide's Fitted table"
    assert "| `file(name, *, sha256=None, what=None) -> Path` |" in text
    assert str(inspect.signature(Fitted.file)).startswith("(self, name: 'str', *, sha256")
    for name in ("set_label(which)", "ctx.cohort.external", "ctx.thresholds", "Needs()"):
        assert name in text, name
    assert "split` (default **`True`**" in text


IMPORT = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.MULTILINE)


def test_the_guide_and_the_scaffold_import_no_engine_internals() -> None:
    from tests.plugin_kit.conftest import EXAMPLE, ROOT

    sources = {"docs/plugins.md": "\n".join(FENCE.findall(_guide()))}
    for folder in (ROOT / "core" / "scaffold" / "template", EXAMPLE):
        for path in sorted(folder.rglob("*.py*")):
            if path.name.endswith((".py", ".py.tmpl")):
                sources[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    assert len(sources) > 4
    for where, code in sources.items():
        internal = [m for m in IMPORT.findall(code) if m.startswith("remarkit.engine")]
        assert not internal, f"{where} imports {internal}"
    for name in ("UnitRegistry", "ChecklistRegistry", "Fitted", "AppliesFitted"):
        assert name in remarkit.__all__ and getattr(remarkit, name) is not None


def test_hookspecs_match_the_plugin_manager() -> None:
    """The parsed hooks are exactly the ones pluggy registers (nothing hidden from the parse)."""
    import pluggy

    pm = pluggy.PluginManager("remarkit")
    pm.add_hookspecs(hookspecs)
    assert set(_hook_specs()) == {name for name in dir(pm.hook) if name.startswith("remarkit_")}


def test_every_hook_documented_with_its_exact_signature() -> None:
    text = _guide()
    sections = {m.group(1): m.end() for m in HEADING.finditer(text)}
    specs = _hook_specs()
    assert sorted(sections) == sorted(specs), "hook sections in docs/plugins.md"
    for name, start in sections.items():
        block = FENCE.search(text, start)
        assert block is not None, f"{name}: no python block after its heading"
        documented = [f for f in _functions(block.group(1)) if f.name == name]
        assert documented, f"{name}: the first python block after its heading lacks 'def {name}'"
        assert _signature(documented[0]) == _signature(specs[name])


def test_every_python_example_parses_and_implements_hooks_correctly() -> None:
    specs = _hook_specs()
    blocks = FENCE.findall(_guide())
    assert len(blocks) >= len(specs)
    for code in blocks:
        for fn in _functions(code):  # ast.parse raises on an example that is not Python
            if not fn.name.startswith("remarkit_"):
                continue
            assert fn.name in specs, f"the guide implements an unknown hook {fn.name}"
            spec_args = {a.arg: a for a in specs[fn.name].args.args}
            for arg in fn.args.args:
                assert arg.arg in spec_args, f"{fn.name}: no argument {arg.arg!r}"
                if arg.annotation is not None:
                    expected = spec_args[arg.arg].annotation
                    assert expected is not None
                    assert ast.unparse(arg.annotation) == ast.unparse(expected), fn.name


def test_every_hook_has_a_test() -> None:
    tree = ast.parse(HOOK_TESTS.read_text(encoding="utf-8"))
    tests = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    missing = [h for h in _hook_specs() if f"test_hook_{h}" not in tests]
    assert not missing, f"hooks without a test_hook_<name> in {HOOK_TESTS.name}: {missing}"


def test_every_testing_fixture_documented() -> None:
    fixtures = [
        name
        for name, obj in vars(testing_plugin).items()
        if name.startswith("remarkit_") and callable(obj)
    ]
    assert sorted(fixtures) == [
        "remarkit_check_fragment",
        "remarkit_plugins",
        "remarkit_run_unit",
        "remarkit_study",
    ]
    text = _guide()
    for name in fixtures:
        assert f"| `{name}` |" in text, f"fixture {name} is not in the guide's fixture table"


def test_testing_exports_resolve() -> None:
    assert sorted(remarkit.testing.__all__) == sorted(remarkit.testing._EXPORTS)
    for name in remarkit.testing.__all__:
        assert getattr(remarkit.testing, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = remarkit.testing.nope


def test_guide_names_the_verb_and_the_readme_points_to_it() -> None:
    assert "remarkit new-plugin NAME [--family F] [--dir D]" in _guide()
    readme = (DOCS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/plugins.md" in readme and "`remarkit new-plugin NAME" in readme
