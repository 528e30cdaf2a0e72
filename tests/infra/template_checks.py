"""What no linter checks in template.yaml: read with cfn-lint's CloudFormation-aware YAML loader
(intrinsic functions become {"Ref": ...}, {"Fn::GetAtt": [...]}, ...) and, where SAM generates
resources (aliases, roles), after cfn-lint's own run of the SAM translator."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from cfnlint.decode import cfn_yaml
from cfnlint.template.transforms import _sam

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9_:.]+)\}")
PSEUDO = {"AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName", "AWS::URLSuffix", "AWS::NoValue"}


def load(path: Path = TEMPLATE) -> dict:
    return cfn_yaml.load(str(path))


def transformed(path: Path = TEMPLATE, region: str = "us-east-1") -> dict:
    """The template after the SAM transform, as cfn-lint sees it (generated roles, aliases, stages)."""
    transform = _sam.Transform(str(path), load(path), region)
    errors = transform.transform_template()
    if errors:
        raise AssertionError(f"SAM transform failed: {errors}")
    return transform._template


def resources_of(template: dict, kind: str) -> dict[str, dict]:
    return {name: r for name, r in template["Resources"].items() if r.get("Type") == kind}


def function_property(template: dict, function: dict, name: str) -> Any:
    """A function's property, falling back to Globals.Function as SAM does."""
    props = function.get("Properties", {})
    if name in props:
        return props[name]
    return template.get("Globals", {}).get("Function", {}).get(name)


# ------------------------------------------------------------------ parameters


def parameter_values(template: dict, samconfig: Path, env: str) -> dict[str, str]:
    """Parameter defaults overlaid with one samconfig environment's parameter_overrides."""
    values = {name: str(p["Default"]) for name, p in template.get("Parameters", {}).items() if "Default" in p}
    config = tomllib.loads(samconfig.read_text())
    overrides = config[env]["deploy"]["parameters"].get("parameter_overrides", [])
    if isinstance(overrides, str):
        overrides = overrides.split()
    for item in overrides:
        key, _, value = item.partition("=")
        values[key] = value
    return values


def resolve(value: Any, params: dict[str, str]) -> Any:
    """Resolves a Ref to a parameter; other values are returned unchanged."""
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in params:
        return params[value["Ref"]]
    return value


# ------------------------------------------------------------------ IAM


@dataclass(frozen=True)
class Statement:
    where: str
    body: dict


def statements(node: Any, where: str = "") -> Iterator[Statement]:
    """Every IAM policy statement anywhere under node (inline policies, SAM policy statements, bucket policies)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Statement" and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and ("Action" in item or "NotAction" in item):
                        yield Statement(where, item)
            yield from statements(value, f"{where}/{key}" if where else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from statements(item, f"{where}[{index}]")


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def is_wildcard_on_wildcard(statement: dict) -> bool:
    if statement.get("Effect") != "Allow":
        return False
    any_action = "NotAction" in statement or any(a == "*" for a in as_list(statement.get("Action")))
    any_resource = "NotResource" in statement or any(r == "*" for r in as_list(statement.get("Resource")))
    return any_action and any_resource


# ------------------------------------------------------------------ state machines


def references(value: Any) -> set[str]:
    """Logical ids (or parameters) a CloudFormation value refers to."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value:
            found.add(str(value["Ref"]).split(".")[0])
        elif "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            found.add(target[0] if isinstance(target, list) else str(target).split(".")[0])
        elif "Fn::Sub" in value:
            sub = value["Fn::Sub"]
            text, variables = (sub[0], sub[1]) if isinstance(sub, list) else (sub, {})
            for name in SUB_VARIABLE.findall(text.replace("${!", "")):
                if name not in variables:
                    found.add(name.split(".")[0])
            for inner in variables.values():
                found |= references(inner)
        else:
            for inner in value.values():
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found - PSEUDO


def tasks(states: dict) -> Iterator[tuple[str, dict]]:
    """Every Task state, descending into Parallel branches and Map processors."""
    for name, state in states.items():
        kind = state.get("Type")
        if kind == "Task":
            yield name, state
        elif kind == "Parallel":
            for branch in state.get("Branches", []):
                yield from tasks(branch.get("States", {}))
        elif kind == "Map":
            processor = state.get("ItemProcessor") or state.get("Iterator") or {}
            yield from tasks(processor.get("States", {}))


def iam_action(resource: str) -> str | None:
    """The IAM action a service integration needs: arn:aws:states:::dynamodb:updateItem -> dynamodb:UpdateItem."""
    match = re.fullmatch(r"arn:aws[a-z-]*:states:::(?:aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\..*)?", resource)
    if not match:
        return None
    service, api = match.groups()
    if (service, api) == ("lambda", "invoke"):
        return "lambda:InvokeFunction"
    return f"{service}:{api[0].upper()}{api[1:]}"


def granted(state_machine: dict) -> tuple[dict[str, set[str]], set[str]]:
    """Action -> resources the state machine's policies allow it on, and the functions its
    LambdaInvokePolicy names."""
    actions: dict[str, set[str]] = {}
    functions: set[str] = set()
    for policy in as_list(state_machine["Properties"].get("Policies", [])):
        if isinstance(policy, dict) and "LambdaInvokePolicy" in policy:
            functions |= references(policy["LambdaInvokePolicy"].get("FunctionName"))
        for statement in statements(policy):
            if statement.body.get("Effect") == "Allow":
                for action in as_list(statement.body.get("Action")):
                    actions.setdefault(str(action), set()).update(references(statement.body.get("Resource")))
    return actions, functions


# Parameters of service integrations that name the resource the call acts on.
RESOURCE_PARAMETERS = ("TableName", "Bucket")


def alias_target(generated: dict, logical_id: str) -> str:
    """The function behind a SAM-generated alias (RouteFunctionAliaslive -> RouteFunction)."""
    resource = generated["Resources"].get(logical_id, {})
    if resource.get("Type") == "AWS::Lambda::Alias":
        return next(iter(references(resource["Properties"]["FunctionName"])))
    return logical_id


def state_machine_problems(template: dict, generated: dict, logical_id: str, asl_text: str) -> list[str]:
    """Why the ASL wired to state machine logical_id would not deploy or run as written; empty if it would."""
    problems: list[str] = []
    machine = template["Resources"][logical_id]
    substitutions = machine["Properties"].get("DefinitionSubstitutions", {})
    for name in sorted(set(PLACEHOLDER.findall(asl_text))):
        if name not in substitutions:
            problems.append(f"${{{name}}} is not in {logical_id}'s DefinitionSubstitutions")
    actions, invokable = granted(machine)
    known = set(generated["Resources"]) | set(template.get("Parameters", {}))
    for state_name, state in tasks(json.loads(asl_text)["States"]):
        resource = state.get("Resource", "")
        parameters = json.dumps(state.get("Parameters", state.get("Arguments", {})))
        placeholders = PLACEHOLDER.findall(resource + parameters)
        for placeholder in placeholders:
            for ref in references(substitutions.get(placeholder)):
                if ref not in known:
                    problems.append(f"task {state_name}: ${{{placeholder}}} refers to {ref}, not in the template")
        function_placeholders = PLACEHOLDER.findall(resource) if resource.startswith("${") else []
        action = iam_action(resource)
        if action == "lambda:InvokeFunction":
            function_placeholders = PLACEHOLDER.findall(json.dumps(state.get("Parameters", {}).get("FunctionName", "")))
        elif action and action not in actions:
            problems.append(f"task {state_name}: {logical_id}'s role does not allow {action}")
        elif action:
            for key in RESOURCE_PARAMETERS:
                for placeholder in PLACEHOLDER.findall(str(state.get("Parameters", {}).get(key, ""))):
                    for ref in references(substitutions.get(placeholder)) - actions[action]:
                        problems.append(f"task {state_name}: {logical_id}'s role does not allow {action} on {ref}")
        for placeholder in function_placeholders:
            for ref in references(substitutions.get(placeholder)):
                if alias_target(generated, ref) not in invokable:
                    problems.append(f"task {state_name}: {logical_id} may not invoke {ref}")
    return problems


def wiring(template: dict) -> dict[str, str]:
    """DefinitionUri -> state machine logical id."""
    return {str(r["Properties"]["DefinitionUri"]): name
            for name, r in resources_of(template, "AWS::Serverless::StateMachine").items()
            if isinstance(r["Properties"].get("DefinitionUri"), str)}
