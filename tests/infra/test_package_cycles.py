"""The package-cycle check (scripts/package_cycles.py) on made-up jdeps output: it must fail on a cycle
and name it, and pass an acyclic graph, so the check run over core's classes can fail."""
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import package_cycles  # noqa: E402

CYCLIC = """\
classes -> java.base
   io.cato.session.SessionKey                 -> io.cato.api.ApiException       classes
   io.cato.api.CatoApi                        -> io.cato.routing.Orchestrator   classes
   io.cato.routing.Orchestrator               -> io.cato.session.SessionStore   classes
   io.cato.routing.Orchestrator               -> io.cato.model.ModelClient      classes
   io.cato.model.ModelClient                  -> java.lang.String               java.base
   io.cato.cache.SemanticCache                -> io.cato.cache.CacheEntry       classes
"""

ACYCLIC = """\
   io.cato.api.CatoApi                        -> io.cato.routing.Orchestrator   classes
   io.cato.routing.Orchestrator               -> io.cato.session.SessionStore   classes
   io.cato.session.SessionKey                 -> io.cato.session.InvalidSessionKeyException classes
   io.cato.routing.Orchestrator               -> io.cato.model.ModelClient      classes
"""

PACKAGE_LEVEL = """\
   io.cato.breaker                                    -> io.cato.api                                        classes
   io.cato.api                                        -> io.cato.breaker                                    classes
"""


def run(text):
    out = io.StringIO()
    status = package_cycles.report(package_cycles.parse_edges(text.splitlines(), "io.cato"), "io.cato", out)
    return status, out.getvalue()


def test_cycle_fails_and_names_the_packages_and_classes():
    status, printed = run(CYCLIC)
    assert status == 1
    assert "package cycle among 3 packages: api routing session" in printed
    assert "path: api -> routing -> session -> api" in printed
    assert "session -> api (SessionKey -> ApiException)" in printed


def test_acyclic_graph_passes_with_dependencies_listed_first():
    status, printed = run(ACYCLIC)
    assert status == 0
    order = printed.split("dependencies first: ")[1].split()
    assert order.index("model") < order.index("routing") < order.index("api")
    assert order.index("session") < order.index("routing")


def test_package_level_jdeps_output_is_read_too():
    status, printed = run(PACKAGE_LEVEL)
    assert status == 1
    assert "api breaker" in printed


def test_edges_outside_the_prefix_are_ignored():
    status, _ = run("   io.cato.api.A -> org.other.B classes\n   org.other.B -> io.cato.api.A classes\n")
    assert status == 0


def test_command_line_reads_saved_output(tmp_path, capsys):
    saved = tmp_path / "jdeps.txt"
    saved.write_text(CYCLIC)
    assert package_cycles.main(["--jdeps-output", str(saved)]) == 1
    assert "package cycle" in capsys.readouterr().out
