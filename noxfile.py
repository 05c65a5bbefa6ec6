"""Sessions a maintainer and CI run: ``nox`` alone runs all of them."""

from __future__ import annotations

import nox

nox.options.sessions = [
    "lint",
    "typecheck",
    "validate",
    "tests",
    "tests_editable",
    "notebooks",
    "docs",
]
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = True


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite against the built wheel (datasets shipped inside it)."""
    session.install(".[test]")
    session.run("pytest", *session.posargs, env={"IPBENCH_EXPECT_INSTALL": "wheel"})


@nox.session
def tests_editable(session: nox.Session) -> None:
    """Run the test suite from an editable install (datasets read from the checkout)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs, env={"IPBENCH_EXPECT_INSTALL": "editable"})


@nox.session
def validate(session: nox.Session) -> None:
    """Validate every file in datasets/ and print a per-table summary."""
    session.install(".")
    session.run("ipbench", "validate", "datasets")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    session.install(".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Mypy in strict mode on the package."""
    session.install(".[typecheck]")
    session.run("mypy", "src")


@nox.session
def notebooks(session: nox.Session) -> None:
    """Run every notebook top to bottom (outputs are not written back)."""
    session.install(".[notebooks]")
    session.run("pytest", "--nbmake", "-p", "no:cacheprovider", "notebooks")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx documentation with warnings as errors."""
    session.install(".[docs]")
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
        *session.posargs,
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Time the pipeline on the built-in data and a synthetic national panel (not in CI)."""
    session.install(".")
    session.run("python", "benchmarks/bench_pipeline.py", *session.posargs)
