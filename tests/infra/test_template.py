"""template.yaml holds what the product depends on: checks no linter makes."""

import re
import tomllib
from pathlib import Path

import pytest

import template_checks as checks

ROOT = checks.ROOT
FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = checks.load()
GENERATED = checks.transformed()
FUNCTIONS = checks.resources_of(TEMPLATE, "AWS::Serverless::Function")
STATE_MACHINE_FILES = sorted((ROOT / "statemachines").glob("*.asl.json"))

EXPECTED_HANDLERS = {
    "RouteFunction": "io.cato.route.RouteHandler::handleRequest",
    "RouteManagedFunction": "io.cato.route.RouteHandler::handleRequest",
    "VerifyStepFunction": "io.cato.consolidate.VerifyStepHandler::handleRequest",
    "ConsolidateStepFunction": "io.cato.consolidate.ConsolidateStepHandler::handleRequest",
    "CuriosityStepFunction": "io.cato.curiosity.CuriosityStepHandler::handleRequest",
}


# ------------------------------------------------------------------ functions


def test_functions_areTheAgreedHandlers():
    assert {name: f["Properties"]["Handler"] for name, f in FUNCTIONS.items()} == EXPECTED_HANDLERS


# Lambda Managed Instances run no SnapStart; that function is an option (tests/infra/test_route_deployment.py).
@pytest.mark.parametrize("name", sorted(set(FUNCTIONS) - {"RouteManagedFunction"}))
def test_function_hasSnapStartOnPublishedVersionsAndAnAlias(name):
    function = FUNCTIONS[name]
    assert checks.function_property(TEMPLATE, function, "SnapStart") == {"ApplyOn": "PublishedVersions"}
    alias = checks.function_property(TEMPLATE, function, "AutoPublishAlias")
    assert alias, f"{name} publishes no alias"
    assert GENERATED["Resources"][f"{name}Alias{alias}"]["Type"] == "AWS::Lambda::Alias"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_runsTheJavaTheBuildTargets(name):
    pom = (ROOT / "pom.xml").read_text()
    release = re.search(r"<maven.compiler.release>(\d+)</maven.compiler.release>", pom).group(1)
    assert checks.function_property(TEMPLATE, FUNCTIONS[name], "Runtime") == f"java{release}"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_isBuiltByAMakefileTarget(name):
    function = FUNCTIONS[name]
    assert function.get("Metadata", {}).get("BuildMethod") == "makefile"
    makefile = (ROOT / function["Properties"]["CodeUri"] / "Makefile").read_text()
    assert re.search(rf"^build-{name}:", makefile, re.M), f"no build-{name} target"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_hasPowertoolsEnvironment(name):
    variables = dict(checks.function_property(TEMPLATE, {}, "Environment")["Variables"])
    variables.update(FUNCTIONS[name]["Properties"].get("Environment", {}).get("Variables", {}))
    assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL"} <= set(variables)


def test_functionsThatEmbed_haveAWritableDjlCache():
    for name, function in FUNCTIONS.items():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        if "CATO_OPENSEARCH_ENDPOINT" in variables or "CATO_BATCH_BUCKET" in variables:
            assert variables.get("DJL_CACHE_DIR", "").startswith("/tmp/"), name


def test_stepFunctionsThatCallAnEndpoint_haveAReservedConcurrencyParameter():
    for name in ("VerifyStepFunction", "ConsolidateStepFunction", "CuriosityStepFunction"):
        reserved = FUNCTIONS[name]["Properties"].get("ReservedConcurrentExecutions")
        assert reserved and "Fn::If" in reserved, name


# ------------------------------------------------------------------ tables


TABLES = {**checks.resources_of(TEMPLATE, "AWS::DynamoDB::Table"),
          **checks.resources_of(TEMPLATE, "AWS::DynamoDB::GlobalTable")}


def test_tables_includeTheSemanticMemoryGlobalTable():
    assert TEMPLATE["Resources"]["SemanticMemoryTable"]["Type"] == "AWS::DynamoDB::GlobalTable"
    assert len(TABLES) == 6


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_isOnDemandWithTtlPitrAndEncryption(name):
    table = TABLES[name]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"]["Enabled"] is True
    assert table["TimeToLiveSpecification"]["AttributeName"]
    assert table["SSESpecification"]["SSEEnabled"] is True
    if TABLES[name]["Type"] == "AWS::DynamoDB::GlobalTable":
        replicas = [r for r in table["Replicas"] if isinstance(r, dict)]
        replicas = [r.get("Fn::If", [None, r])[1] if "Fn::If" in r else r for r in replicas]
        assert replicas and all(r["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
                                for r in replicas)
    else:
        assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_tableKeys_matchTheCodesKeyAttributes():
    """The adapters' key and TTL attribute names (aws/.../dynamodb) are what the tables declare."""
    source = ROOT / "aws/src/main/java/io/cato/aws/dynamodb"
    def constant(cls, field):
        return re.search(rf'{field} = "([^"]+)"', (source / f"{cls}.java").read_text()).group(1)
    def key_and_ttl(name):
        props = TABLES[name]["Properties"]
        return [k["AttributeName"] for k in props["KeySchema"]], props["TimeToLiveSpecification"]["AttributeName"]
    assert key_and_ttl("SessionsTable") == ([constant("DynamoDbSessionStore", "PK"), constant("DynamoDbSessionStore", "SK")],
                                            constant("DynamoDbSessionStore", "TTL"))
    assert key_and_ttl("IdempotencyTable") == ([constant("PowertoolsIdempotencyStore", "KEY_ATTR")],
                                               constant("PowertoolsIdempotencyStore", "TTL_ATTR"))
    assert key_and_ttl("CacheTable") == ([constant("DynamoDbExactCache", "PK")], constant("DynamoDbExactCache", "TTL"))
    assert key_and_ttl("BreakersTable")[0] == [constant("DynamoDbBreakerStore", "PK")]
    assert key_and_ttl("BudgetsTable") == ([constant("DynamoDbBudgetStore", "PK"), constant("DynamoDbBudgetStore", "SK")],
                                           constant("DynamoDbBudgetStore", "TTL"))
    memory_keys = [k["AttributeName"] for k in TABLES["SemanticMemoryTable"]["Properties"]["KeySchema"]]
    assert memory_keys == [constant("DynamoDbSemanticMemory", "PK"), constant("DynamoDbSemanticMemory", "SK")]


# ------------------------------------------------------------------ IAM


def test_noIamStatement_allowsEveryActionOnEveryResource():
    offending = [s for s in checks.statements(GENERATED["Resources"]) if checks.is_wildcard_on_wildcard(s.body)]
    assert offending == []


def test_wildcardCheck_catchesTheForbiddenShapes():
    assert checks.is_wildcard_on_wildcard({"Effect": "Allow", "Action": "*", "Resource": "*"})
    assert checks.is_wildcard_on_wildcard({"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": ["*"]})
    assert checks.is_wildcard_on_wildcard({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    assert not checks.is_wildcard_on_wildcard({"Effect": "Allow", "Action": "logs:CreateLogDelivery", "Resource": "*"})
    assert not checks.is_wildcard_on_wildcard({"Effect": "Deny", "Action": "*", "Resource": "*"})


def test_statementsAreFoundInsideGeneratedRoles():
    found = list(checks.statements(GENERATED["Resources"]["VerifyStateMachineRole"]))
    assert any("lambda:InvokeFunction" in checks.as_list(s.body["Action"]) for s in found)


# ------------------------------------------------------------------ SageMaker


def test_shadowSelfScalesFrom10To300Ml_g5_2xlargeInProd():
    params = checks.parameter_values(TEMPLATE, ROOT / "samconfig.toml", "prod")
    target = TEMPLATE["Resources"]["ShadowScalableTarget"]["Properties"]
    assert int(checks.resolve(target["MinCapacity"], params)) == 10
    assert int(checks.resolve(target["MaxCapacity"], params)) == 300
    assert target["ScalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
    assert "ShadowEndpoint" in checks.references(target["ResourceId"])
    config_id = checks.references(TEMPLATE["Resources"]["ShadowEndpoint"]["Properties"]["EndpointConfigName"]).pop()
    variant = TEMPLATE["Resources"][config_id]["Properties"]["ProductionVariants"][0]
    assert checks.resolve(variant["InstanceType"], params) == "ml.g5.2xlarge"
    assert int(checks.resolve(variant["InitialInstanceCount"], params)) == 10
    assert variant["ContainerStartupHealthCheckTimeoutInSeconds"] >= 900
    assert target["ResourceId"]["Fn::Sub"].endswith(f"/variant/{variant['VariantName']}")


@pytest.mark.parametrize("target", ["ShadowScalableTarget", "NliScalableTarget"])
def test_endpointScaling_tracksConcurrencyAndInvocationsAndScalesInSlowerThanOut(target):
    policies = [r["Properties"] for r in checks.resources_of(TEMPLATE, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
                if r["Properties"]["ScalingTargetId"] == {"Ref": target}]
    metrics = {p["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"]
               for p in policies}
    assert metrics == {"SageMakerVariantConcurrentRequestsPerModelHighResolution", "SageMakerVariantInvocationsPerInstance"}
    for policy in policies:
        tracking = policy["TargetTrackingScalingPolicyConfiguration"]
        assert tracking["ScaleInCooldown"] > tracking["ScaleOutCooldown"]


# ------------------------------------------------------------------ AppConfig and alarms


def test_rolloutEnvironment_isMonitoredByTheErrorRateAndLatencyAlarms():
    monitors = TEMPLATE["Resources"]["RolloutEnvironment"]["Properties"]["Monitors"]
    alarms = {m["AlarmArn"]["Fn::GetAtt"][0] for m in monitors}
    assert alarms == {"ErrorRateAlarm", "LatencyP99Alarm"}
    params = checks.parameter_values(TEMPLATE, ROOT / "samconfig.toml", "prod")
    error = TEMPLATE["Resources"]["ErrorRateAlarm"]["Properties"]
    latency = TEMPLATE["Resources"]["LatencyP99Alarm"]["Properties"]
    assert float(checks.resolve(error["Threshold"], params)) == 0.01
    assert (error["MetricName"], error["Statistic"]) == ("5XXError", "Average")
    assert float(checks.resolve(latency["Threshold"], params)) == 2000
    assert (latency["MetricName"], latency["ExtendedStatistic"]) == ("Latency", "p99")


def test_rolloutFlag_isTheDocumentTheRouteFunctionReads():
    import json
    profile = TEMPLATE["Resources"]["RolloutFlagProfile"]["Properties"]
    assert profile["Type"] == "AWS.AppConfig.FeatureFlags"
    content = TEMPLATE["Resources"]["RolloutFlagInitialVersion"]["Properties"]["Content"]["Fn::Sub"]
    document = json.loads(content.replace("${InitialRolloutPercentage}", "0"))
    assert set(document["values"]["use_new_orchestrator"]) == {"enabled", "percentage"}
    reader = (ROOT / "aws/src/main/java/io/cato/aws/appconfig/AppConfigRolloutFlag.java").read_text()
    assert 'FLAG = "use_new_orchestrator"' in reader and '"percentage"' in reader


# ------------------------------------------------------------------ samconfig


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_samconfig_setsEveryParameterWithoutADefault(env):
    params = checks.parameter_values(TEMPLATE, ROOT / "samconfig.toml", env)
    required = {name for name, p in TEMPLATE["Parameters"].items() if "Default" not in p}
    assert required <= set(params)
    assert params["Environment"] == env
    for name, value in params.items():
        spec = TEMPLATE["Parameters"][name]
        if "AllowedPattern" in spec:
            assert re.fullmatch(spec["AllowedPattern"], value), f"{env}: {name}={value}"
        if "AllowedValues" in spec:
            assert value in spec["AllowedValues"], f"{env}: {name}={value}"


# ------------------------------------------------------------------ state machines


def test_stateMachines_areWiredToTheAgreedFiles():
    assert checks.wiring(TEMPLATE) == {
        "statemachines/verify.asl.json": "VerifyStateMachine",
        "statemachines/consolidate.asl.json": "ConsolidateStateMachine",
        "statemachines/curiosity.asl.json": "CuriosityStateMachine",
    }
    assert TEMPLATE["Resources"]["VerifyStateMachine"]["Properties"]["Type"] == "EXPRESS"


@pytest.mark.parametrize("name", sorted(checks.resources_of(TEMPLATE, "AWS::Serverless::StateMachine")))
def test_stateMachine_logsWithoutExecutionDataAndTraces(name):
    props = TEMPLATE["Resources"][name]["Properties"]
    assert props["Logging"]["IncludeExecutionData"] is False
    assert props["Tracing"]["Enabled"] is True


@pytest.mark.parametrize("path", STATE_MACHINE_FILES, ids=lambda p: p.name)
def test_stateMachineFile_isWiredWithEveryPlaceholderAndTaskResource(path):
    relative = path.relative_to(ROOT).as_posix()
    wired = checks.wiring(TEMPLATE)
    assert relative in wired, f"{relative} is not the DefinitionUri of any state machine"
    assert checks.state_machine_problems(TEMPLATE, GENERATED, wired[relative], path.read_text()) == []


def test_sampleDefinition_passesWhenEveryPlaceholderAndTaskIsProvided():
    text = (FIXTURES / "statemachines/verify-sample.asl.json").read_text()
    assert checks.state_machine_problems(TEMPLATE, GENERATED, "VerifyStateMachine", text) == []


def test_sampleDefinition_failsWhenItsWorkflowMayNotCallATask():
    text = (FIXTURES / "statemachines/verify-sample.asl.json").read_text()
    problems = checks.state_machine_problems(TEMPLATE, GENERATED, "CuriosityStateMachine", text)
    assert "task Probe: CuriosityStateMachine may not invoke VerifyStepFunctionAliaslive" in problems
    assert "task Store: CuriosityStateMachine's role does not allow dynamodb:UpdateItem on SessionsTable" in problems


def test_definitionWithUnknownPlaceholders_isReported():
    text = (FIXTURES / "statemachines/unsubstituted.asl.json").read_text()
    problems = checks.state_machine_problems(TEMPLATE, GENERATED, "ConsolidateStateMachine", text)
    assert "${ExtractFunctionArn} is not in ConsolidateStateMachine's DefinitionSubstitutions" in problems
    assert "${FactsTableName} is not in ConsolidateStateMachine's DefinitionSubstitutions" in problems


@pytest.mark.parametrize("name", sorted(checks.resources_of(TEMPLATE, "AWS::Serverless::StateMachine")))
def test_stateMachine_providesTheAgreedSubstitutions(name):
    substitutions = TEMPLATE["Resources"][name]["Properties"]["DefinitionSubstitutions"]
    assert set(substitutions) >= {"VerifyStepFunctionArn", "ConsolidateStepFunctionArn", "CuriosityStepFunctionArn",
                                  "BatchBucketName", "BedrockBatchRoleArn", "SemanticMemoryTableName", "SessionsTableName"}
    for value in substitutions.values():
        assert checks.references(value) <= set(GENERATED["Resources"])


def test_iamActionOfServiceIntegrations():
    assert checks.iam_action("arn:aws:states:::dynamodb:putItem") == "dynamodb:PutItem"
    assert checks.iam_action("arn:aws:states:::aws-sdk:s3:getObject") == "s3:GetObject"
    assert checks.iam_action("arn:aws:states:::lambda:invoke") == "lambda:InvokeFunction"
    assert checks.iam_action("arn:aws:states:::states:startExecution.sync:2") == "states:StartExecution"
    assert checks.iam_action("${VerifyStepFunctionArn}") is None


# ------------------------------------------------------------------ routing


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_routeTiers_includeTheTiersTheRouterChoosesBetween():
    """Without both routing tiers deployed the router keeps chain order, and every query would go to the first."""
    import json
    variables = FUNCTIONS["RouteFunction"]["Properties"]["Environment"]["Variables"]
    text = next(s for s in _strings(variables["CATO_CONFIG_JSON"]) if '"tiers"' in s)
    config = json.loads(re.sub(r"\$\{[^}]+\}", "x", text))
    defaults = json.loads((ROOT / "core/src/main/resources/io/cato/config/defaults.json").read_text())
    routing = defaults["routing"]
    names = [tier["name"] for tier in config["tiers"]]
    assert routing["complex_tier"] in names and routing["simple_tier"] in names
    assert routing["complex_tier"] in config["fallback_chain"] and routing["simple_tier"] in config["fallback_chain"]
