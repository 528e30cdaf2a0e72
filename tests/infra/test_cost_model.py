"""The cost model (./cato cost-model, docs/COST.md) computes what its documentation says."""

import sys

import pytest

import template_checks as checks

sys.path.insert(0, str(checks.ROOT / "scripts"))
import cost_model  # noqa: E402


def inputs(**overrides):
    args = cost_model.parse([])
    for name, value in overrides.items():
        setattr(args, name, value)
    return cost_model.inputs(args, 10_000_000)


def test_volume_isTheDesignsHundredMillionQueriesADayAt10MUsers():
    i = inputs()
    assert i.requests_per_month == pytest.approx(3e9)
    assert i.peak_qps == pytest.approx(5000)


def test_lambda_billsTheModelWaitAtTheTemplatesMemory():
    i = inputs(model_latency=1.0, cpu_ms=0.0)
    assert i.memory_mb == 2048  # RouteFunction's MemorySize
    expected = 3e9 * 1.0 * 2.0 * 0.0000166667 + 3e9 / 1e6 * 0.20
    assert cost_model.lambda_standard(i)["monthly"] == pytest.approx(expected)


def test_managedInstances_areSizedByRequestsInFlightWhenTheModelIsSlow():
    slow = inputs(model_latency=3.0, cpu_ms=1.0, lmi_min_instances=0)
    # 1,157 QPS x 3.001 s in flight / 64 per environment -> 55 environments of 2 vCPUs
    assert cost_model.lmi_vcpus(slow, slow.average_qps) == 110


def test_managedInstances_areSizedByCpuWhenRequestsAreCpuHeavy():
    heavy = inputs(model_latency=0.1, cpu_ms=50.0, lmi_min_instances=0)
    assert cost_model.lmi_vcpus(heavy, heavy.average_qps) == pytest.approx(heavy.average_qps * 0.05 / 0.5)


def test_eks_isSizedByCpuAlone():
    """A pod holds any number of requests in flight: how long the model takes does not change the nodes."""
    assert cost_model.eks(inputs(model_latency=30.0))["monthly"] == cost_model.eks(inputs(model_latency=0.1))["monthly"]
    assert cost_model.eks(inputs(cpu_ms=80.0))["monthly"] > cost_model.eks(inputs(cpu_ms=18.2))["monthly"]
