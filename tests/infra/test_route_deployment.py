"""How the route function is deployed: streamed through API Gateway by default, Lambda Managed
Instances as an option, and timeouts that end in the right order (README "Streaming in AWS")."""

import json
import os
import re

import pytest

import template_checks as checks

ROOT = checks.ROOT
TEMPLATE = checks.load()
GENERATED = checks.transformed()
FUNCTIONS = checks.resources_of(TEMPLATE, "AWS::Serverless::Function")
ROUTE = FUNCTIONS["RouteFunction"]
MANAGED = FUNCTIONS["RouteManagedFunction"]
STREAMING_URI = "lambda:path/2021-11-15/functions/${RouteFunctionAliaslive}/response-streaming-invocations"
BUFFERED_URI = "lambda:path/2015-03-31/functions/${RouteManagedFunctionAliaslive}/invocations"
# API Gateway REST: the default (and, without a quota increase, largest) buffered integration timeout,
# and the longest a streamed response may last.
REST_BUFFERED_TIMEOUT_MS = 29000
STREAM_LIMIT_MS = 900000
# Core's defaults for the settings the template may leave out.
DEFAULT_STREAM_TIMEOUT_MS = 300000
DEFAULT_MEMORY_RESERVE_MS = 1000


def integrations():
    api = TEMPLATE["Resources"]["CatoApi"]["Properties"]["DefinitionBody"]
    for path, methods in api["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation["x-amazon-apigateway-integration"]


def if_branches(value):
    """(managed-instances, lambda) values of an {"Fn::If": ["UseManagedInstances", a, b]}."""
    assert isinstance(value, dict) and list(value) == ["Fn::If"], value
    condition, managed, default = value["Fn::If"]
    assert condition == "UseManagedInstances"
    return managed, default


def sub_text(value):
    return value["Fn::Sub"] if isinstance(value, dict) else value


def config(function):
    """The function's CATO_CONFIG_JSON with its ${...} placeholders filled in."""
    raw = function["Properties"]["Environment"]["Variables"]["CATO_CONFIG_JSON"]
    text = raw["Fn::Sub"][0] if isinstance(raw["Fn::Sub"], list) else raw["Fn::Sub"]
    return json.loads(re.sub(r"\$\{[^}]+\}", "x", text))


def integration_timeouts():
    managed, default = set(), set()
    for _, integration in integrations():
        m, d = if_branches(integration["timeoutInMillis"])
        managed.add(m)
        default.add(d)
    assert len(managed) == 1 and len(default) == 1, "every route has the same integration timeouts"
    return managed.pop(), default.pop()


# Every operation the route function serves in AWS (CatoApi's routes; consolidate runs as a workflow there).
SERVED = {
    "POST /v1/chat/completions", "POST /api/cato/query", "POST /v1/messages", "GET /v1/models",
    "GET /v1/models/{model}", "GET /api/admin/cato/health", "GET /api/admin/cato/status",
    "POST /api/admin/cato/cache/purge", "POST /api/admin/cato/limits", "PUT /api/admin/cato/limits",
}


def test_everyOperationTheRouteFunctionServes_isAPathOfTheApi():
    routes = {route for route, _ in integrations()}
    assert SERVED <= routes, f"not routed by API Gateway: {sorted(SERVED - routes)}"


def test_adminOperations_needIam():
    api = TEMPLATE["Resources"]["CatoApi"]["Properties"]["DefinitionBody"]
    for path, methods in api["paths"].items():
        if path.startswith("/api/admin/"):
            for method, operation in methods.items():
                assert operation["security"] == [{"sigv4": []}], f"{method.upper()} {path}"


# ------------------------------------------------------------------ streaming


@pytest.mark.parametrize("route,integration", list(integrations()))
def test_everyRoute_isStreamedFromTheSnapStartFunctionOrBufferedFromTheManagedOne(route, integration):
    assert integration["type"] == "aws_proxy" and integration["httpMethod"] == "POST"
    managed_uri, default_uri = if_branches(integration["uri"])
    assert sub_text(default_uri).endswith(STREAMING_URI), route
    assert sub_text(managed_uri).endswith(BUFFERED_URI), route
    assert if_branches(integration["responseTransferMode"]) == ("BUFFERED", "STREAM")


def test_streamingFunction_runsTheRuntimeClientShippedInItsArtifact():
    variables = ROUTE["Properties"]["Environment"]["Variables"]
    assert variables["AWS_LAMBDA_EXEC_WRAPPER"] == "/var/task/stream-bootstrap"
    wrapper = ROOT / "functions/route/src/main/resources/stream-bootstrap"
    assert os.access(wrapper, os.X_OK)
    text = wrapper.read_text()
    assert "io.cato.route.StreamingRuntime" in text
    assert "com.amazonaws.services.lambda.runtime.api.client.AWSLambda" in text
    assert (ROOT / "functions/route/src/main/java/io/cato/route/StreamingRuntime.java").exists()
    assert re.search(r"chmod 755 .*stream-bootstrap", (ROOT / "Makefile").read_text())


def test_apiGateway_mayInvokeWhicheverFunctionServes():
    permission = TEMPLATE["Resources"]["RouteApiPermission"]["Properties"]
    assert permission["Action"] == "lambda:InvokeFunction"
    managed, default = if_branches(permission["FunctionName"])
    assert managed == {"Ref": "RouteManagedFunctionAliaslive"} and default == {"Ref": "RouteFunctionAliaslive"}


# ------------------------------------------------------------------ managed instances


def test_managedInstances_isAnOptionWithACapacityProvider():
    assert TEMPLATE["Parameters"]["RouteCompute"]["Default"] == "lambda"
    assert set(TEMPLATE["Parameters"]["RouteCompute"]["AllowedValues"]) == {"lambda", "managed-instances"}
    assert TEMPLATE["Conditions"]["UseManagedInstances"] == {
        "Fn::Equals": [{"Ref": "RouteCompute"}, "managed-instances"]}
    provider = TEMPLATE["Resources"]["RouteCapacityProvider"]
    assert provider["Type"] == "AWS::Serverless::CapacityProvider"
    assert provider["Condition"] == "UseManagedInstances"
    assert provider["Properties"]["VpcConfig"]["SubnetIds"] == {"Ref": "ManagedInstancesSubnetIds"}
    assert MANAGED["Condition"] == "UseManagedInstances"
    assert "Condition" not in ROUTE, "the SnapStart function is deployed whatever serves"


def test_managedFunction_sharesTheRouteFunctionsCodeRoleAndSettings():
    props = MANAGED["Properties"]
    assert props["Handler"] == ROUTE["Properties"]["Handler"] and props["CodeUri"] == ROUTE["Properties"]["CodeUri"]
    assert props["Role"] == {"Fn::GetAtt": ["RouteFunctionRole", "Arn"]}
    assert props["SnapStart"] == {"ApplyOn": "None"}
    capacity = props["CapacityProviderConfig"]
    assert capacity["Arn"] == {"Fn::GetAtt": ["RouteCapacityProvider", "Arn"]}
    assert capacity["PerExecutionEnvironmentMaxConcurrency"] == {"Ref": "RouteConcurrencyPerEnvironment"}
    route_env = dict(ROUTE["Properties"]["Environment"]["Variables"])
    managed_env = dict(props["Environment"]["Variables"])
    assert "AWS_LAMBDA_EXEC_WRAPPER" not in managed_env, "the managed runtime's own client serves it"
    different = {k for k in route_env.keys() | managed_env.keys() if route_env.get(k) != managed_env.get(k)}
    assert different == {"AWS_LAMBDA_EXEC_WRAPPER", "POWERTOOLS_SERVICE_NAME", "CATO_CONFIG_JSON"}
    route_config, managed_config = config(ROUTE), config(MANAGED)
    assert route_config["tiers"] == managed_config["tiers"]
    assert route_config["fallback_chain"] == managed_config["fallback_chain"]


def test_generatedManagedFunction_isAttachedToTheCapacityProvider():
    function = GENERATED["Resources"]["RouteManagedFunction"]
    assert function["Condition"] == "UseManagedInstances"
    config_ = function["Properties"]["CapacityProviderConfig"]["LambdaManagedInstancesCapacityProviderConfig"]
    assert config_["PerExecutionEnvironmentMaxConcurrency"] == {"Ref": "RouteConcurrencyPerEnvironment"}
    assert GENERATED["Resources"]["RouteManagedFunctionAliaslive"]["Type"] == "AWS::Lambda::Alias"


# ------------------------------------------------------------------ timeouts


def test_bufferedTimeouts_endInOrder():
    """The answer's deadline, then the function, then API Gateway: each layer ends before the one outside it."""
    managed_timeout_ms, _ = integration_timeouts()
    limits = config(MANAGED)["limits"]
    assert limits["request_timeout_ms"] + 1000 <= MANAGED["Properties"]["Timeout"] * 1000
    assert MANAGED["Properties"]["Timeout"] * 1000 <= managed_timeout_ms <= REST_BUFFERED_TIMEOUT_MS


def test_streamingTimeouts_endInOrder():
    _, streaming_timeout_ms = integration_timeouts()
    limits = config(ROUTE)["limits"]
    stream_timeout = limits.get("stream_timeout_ms", DEFAULT_STREAM_TIMEOUT_MS)
    timeout_ms = ROUTE["Properties"]["Timeout"] * 1000
    assert stream_timeout + 1000 <= timeout_ms <= STREAM_LIMIT_MS
    assert limits["request_timeout_ms"] + 1000 <= timeout_ms
    assert timeout_ms <= streaming_timeout_ms <= STREAM_LIMIT_MS


@pytest.mark.parametrize("name", ["RouteFunction", "RouteManagedFunction"])
def test_everyModelTier_endsBeforeTheMemoryTiersReserve(name):
    settings = config(FUNCTIONS[name])
    limits = settings["limits"]
    budget = limits["request_timeout_ms"] - limits.get("memory_reserve_ms", DEFAULT_MEMORY_RESERVE_MS)
    for tier in settings["tiers"]:
        if tier["provider"] != "memory":
            assert tier["timeout_ms"] <= budget, f"{name}: {tier['name']} {tier['timeout_ms']} ms > {budget} ms"

