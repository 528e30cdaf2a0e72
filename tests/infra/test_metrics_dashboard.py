"""The dashboard's and alarms' metrics in the functions' namespace are ones the functions publish, under dimension
sets they publish them with: the list the Java metrics sink declares (aws/.../metrics/emitted-metrics.json, which
EmittedMetricsTest keeps equal to the sink's own list and to what it writes)."""

import json
import re

import template_checks as checks

EMITTED_FILE = checks.ROOT / "aws/src/main/resources/io/cato/aws/metrics/emitted-metrics.json"
EMITTED = {m["name"]: m for m in json.loads(EMITTED_FILE.read_text())}
TEMPLATE = checks.load()
NAMESPACE = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"]
SEARCH = re.compile(r"SEARCH\('\{([^}]*)\}\s+MetricName=\"([^\"]+)\"")
SUB_PLACEHOLDER = re.compile(r"\$\{[A-Za-z0-9_:.]+\}")


def service_names() -> set[str]:
    names = set()
    for function in checks.resources_of(TEMPLATE, "AWS::Serverless::Function").values():
        env = function.get("Properties", {}).get("Environment", {}).get("Variables", {})
        if "POWERTOOLS_SERVICE_NAME" in env:
            names.add(env["POWERTOOLS_SERVICE_NAME"])
    return names


def dashboard_widgets() -> list[dict]:
    body = TEMPLATE["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"][0]
    # Every ${...} becomes 1: a valid JSON number bare, a string inside quotes.
    return json.loads(SUB_PLACEHOLDER.sub("1", body))["widgets"]


def dashboard_metrics() -> list[tuple[str, str, dict[str, str | None]]]:
    """(namespace, metric, {dimension: value or None for a SEARCH}) of every metric widget line."""
    found = []
    for widget in dashboard_widgets():
        previous: list = []
        for line in widget.get("properties", {}).get("metrics", []):
            if line and isinstance(line[0], dict):
                match = SEARCH.search(line[0].get("expression", ""))
                if match:
                    namespace, *dimensions = [part.strip() for part in match.group(1).split(",")]
                    found.append((namespace, match.group(2), {d: None for d in dimensions}))
                continue
            fields = [field for field in line if not isinstance(field, dict)]
            if fields and fields[0] == "...":
                continue
            fields = [previous[i] if field == "." and i < len(previous) else field for i, field in enumerate(fields)]
            previous = fields
            namespace, metric, rest = fields[0], fields[1], fields[2:]
            found.append((namespace, metric, dict(zip(rest[0::2], rest[1::2]))))
    return found


def alarm_metrics() -> list[tuple[str, str, dict[str, str | None]]]:
    found = []
    for alarm in checks.resources_of(TEMPLATE, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        stats = [props] if "MetricName" in props else [
            q["MetricStat"]["Metric"] for q in props.get("Metrics", []) if "MetricStat" in q]
        for stat in stats:
            dimensions = {d["Name"]: d.get("Value") for d in stat.get("Dimensions", [])}
            found.append((stat.get("Namespace"), stat["MetricName"], dimensions))
    return found


def ours(metrics):
    return [m for m in metrics if m[0] == NAMESPACE]


def test_theDashboardShowsTheFunctionsCacheTierCostAndBreakerMetrics():
    assert {metric for _, metric, _ in ours(dashboard_metrics())} >= {"CacheHit", "Answers", "CostUsd", "BreakerOpened"}


def test_everyDashboardAndAlarmMetricInTheNamespace_isPublishedWithThoseDimensions():
    for namespace, metric, dimensions in ours(dashboard_metrics()) + ours(alarm_metrics()):
        assert metric in EMITTED, f"{metric} is read from {namespace} but never published"
        published = [set(d) for d in EMITTED[metric]["dimensions"]]
        assert set(dimensions) in published, f"{metric} by {sorted(dimensions)}: published only by {published}"


def test_aNamedServiceDimension_isAFunctionsServiceName():
    for _, metric, dimensions in ours(dashboard_metrics()) + ours(alarm_metrics()):
        service = dimensions.get("Service")
        assert service is None or service in service_names(), f"{metric}: no function is service {service}"


def test_everyPublishedMetric_carriesTheServiceDimension():
    for name, metric in EMITTED.items():
        assert metric["dimensions"] and all("Service" in d for d in metric["dimensions"]), name
