#!/usr/bin/env python3
"""Monthly cost of the route path (./cato cost-model): standard Lambda with SnapStart, Lambda Managed
Instances and EKS, from the server CPU per request this project measured and a model latency.

Every price and measured input is an option with its default written in docs/COST.md, with its
source. Run `./cato cost-model --help` for the options; `--markdown` prints the table of COST.md.
"""

from __future__ import annotations

import argparse
import math
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECONDS_PER_MONTH = 30 * 86400
HOURS_PER_MONTH = 730
# Lambda gives a function one vCPU's worth of CPU at 1,769 MB and scales it with memory.
MB_PER_VCPU = 1769


@dataclass(frozen=True)
class Inputs:
    users: int
    queries_per_user_day: float
    peak_qps_per_user: float
    model_latency_s: float
    cpu_ms: float
    memory_mb: int
    lambda_gb_s_price: float
    request_price_per_million: float
    vcpu_hour_price: float
    lmi_fee: float
    lmi_concurrency: int
    lmi_vcpus_per_environment: int
    lmi_min_instances: int
    lmi_instance_vcpus: int
    cpu_target: float
    eks_node_vcpus: int
    eks_min_nodes: int
    eks_cluster_hour_price: float

    @property
    def requests_per_month(self) -> float:
        return self.users * self.queries_per_user_day * 30

    @property
    def average_qps(self) -> float:
        return self.requests_per_month / SECONDS_PER_MONTH

    @property
    def peak_qps(self) -> float:
        return self.users * self.peak_qps_per_user

    @property
    def requests_fee(self) -> float:
        return self.requests_per_month / 1e6 * self.request_price_per_million


def lambda_standard(i: Inputs) -> dict:
    """Billed wall-clock: the environment is held while the model answers."""
    vcpus = i.memory_mb / MB_PER_VCPU
    duration_s = i.model_latency_s + i.cpu_ms / 1000 / min(vcpus, 1.0)
    gb_s = i.requests_per_month * duration_s * i.memory_mb / 1024
    return {"monthly": gb_s * i.lambda_gb_s_price + i.requests_fee,
            "detail": f"{duration_s:.3f} s x {i.memory_mb} MB per request, "
                      f"{i.average_qps * duration_s:,.0f} environments busy on average, "
                      f"{i.peak_qps * duration_s:,.0f} at peak"}


def lmi_vcpus(i: Inputs, qps: float) -> float:
    """vCPUs for a request rate: enough CPU at the target utilisation, and enough environments for the
    requests in flight (they hold a slot while the model answers, without burning CPU)."""
    cpu_bound = qps * i.cpu_ms / 1000 / i.cpu_target
    in_flight = qps * (i.model_latency_s + i.cpu_ms / 1000)
    slot_bound = math.ceil(in_flight / i.lmi_concurrency) * i.lmi_vcpus_per_environment
    floor = i.lmi_min_instances * i.lmi_instance_vcpus
    return max(cpu_bound, slot_bound, floor)


def managed_instances(i: Inputs) -> dict:
    average, peak = lmi_vcpus(i, i.average_qps), lmi_vcpus(i, i.peak_qps)
    per_vcpu_month = HOURS_PER_MONTH * i.vcpu_hour_price * (1 + i.lmi_fee)
    return {"monthly": average * per_vcpu_month + i.requests_fee,
            "detail": f"{average:,.0f} vCPUs on average (autoscaled), {peak:,.0f} at peak "
                      f"(${peak * per_vcpu_month + i.requests_fee:,.0f} if held all month); EC2 + {i.lmi_fee:.0%} fee"}


def eks(i: Inputs) -> dict:
    """Pods of the embedded server's kind hold any number of requests in flight; CPU alone sizes nodes."""
    def nodes(qps: float) -> int:
        return max(i.eks_min_nodes, math.ceil(qps * i.cpu_ms / 1000 / i.cpu_target / i.eks_node_vcpus))
    average, peak = nodes(i.average_qps), nodes(i.peak_qps)
    per_node_month = i.eks_node_vcpus * HOURS_PER_MONTH * i.vcpu_hour_price
    control_plane = i.eks_cluster_hour_price * HOURS_PER_MONTH
    return {"monthly": average * per_node_month + control_plane,
            "detail": f"{average} nodes of {i.eks_node_vcpus} vCPUs on average, {peak} at peak "
                      f"(${peak * per_node_month + control_plane:,.0f} if held all month), + control plane"}


def route_memory_mb(template: Path = ROOT / "template.yaml") -> int:
    """The route function's MemorySize in template.yaml."""
    text = template.read_text()
    block = text[text.index("\n  RouteFunction:\n"):]
    return int(re.search(r"^      MemorySize: (\d+)$", block, re.M).group(1))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="./cato cost-model", description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, nargs="+", default=[1_000_000, 10_000_000])
    p.add_argument("--queries-per-user-day", type=float, default=10.0,
                   help="100M queries a day at 10M users (DESIGN.md)")
    p.add_argument("--peak-qps-per-user", type=float, default=5000 / 10_000_000,
                   help="5,000 QPS at peak at 10M users, scaled linearly")
    p.add_argument("--model-latency", type=float, default=1.5, help="seconds a request waits for the model")
    p.add_argument("--cpu-ms", type=float, default=18.2,
                   help="server CPU per request (docs/PERFORMANCE.md, model path at 100/s, ./cato bench standard)")
    p.add_argument("--memory-mb", type=int, default=None, help="Lambda memory (default: RouteFunction in template.yaml)")
    p.add_argument("--arch", choices=["x86_64", "arm64"], default="x86_64")
    p.add_argument("--request-price", type=float, default=0.20, help="USD per million requests (Lambda and LMI)")
    p.add_argument("--vcpu-hour-price", type=float, default=0.0816 / 2,
                   help="EC2 on-demand USD per vCPU-hour (m7g.large $0.0816/h, 2 vCPUs, us-east-1)")
    p.add_argument("--lmi-fee", type=float, default=0.15, help="Managed Instances fee on the EC2 price")
    p.add_argument("--lmi-concurrency", type=int, default=64, help="requests per environment (template default)")
    p.add_argument("--lmi-vcpus-per-environment", type=int, default=2, help="template: 4 GB at 2 GB per vCPU")
    p.add_argument("--lmi-min-instances", type=int, default=3, help="Lambda starts three for AZ resiliency")
    p.add_argument("--lmi-instance-vcpus", type=int, default=4)
    p.add_argument("--cpu-target", type=float, default=0.5, help="CPU utilisation instances and nodes are sized for")
    p.add_argument("--eks-node-vcpus", type=int, default=4, help="m7g.xlarge")
    p.add_argument("--eks-min-nodes", type=int, default=3)
    p.add_argument("--eks-cluster-hour-price", type=float, default=0.10)
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    return p.parse_args(argv)


GB_S_PRICE = {"x86_64": 0.0000166667, "arm64": 0.0000133334}


def inputs(args: argparse.Namespace, users: int) -> Inputs:
    return Inputs(users=users, queries_per_user_day=args.queries_per_user_day,
                  peak_qps_per_user=args.peak_qps_per_user, model_latency_s=args.model_latency,
                  cpu_ms=args.cpu_ms, memory_mb=args.memory_mb or route_memory_mb(),
                  lambda_gb_s_price=GB_S_PRICE[args.arch], request_price_per_million=args.request_price,
                  vcpu_hour_price=args.vcpu_hour_price, lmi_fee=args.lmi_fee, lmi_concurrency=args.lmi_concurrency,
                  lmi_vcpus_per_environment=args.lmi_vcpus_per_environment,
                  lmi_min_instances=args.lmi_min_instances, lmi_instance_vcpus=args.lmi_instance_vcpus,
                  cpu_target=args.cpu_target, eks_node_vcpus=args.eks_node_vcpus, eks_min_nodes=args.eks_min_nodes,
                  eks_cluster_hour_price=args.eks_cluster_hour_price)


def rows(args: argparse.Namespace) -> list[list[str]]:
    out = []
    for users in args.users:
        i = inputs(args, users)
        volume = f"{users:,} users: {i.requests_per_month / 1e6:,.0f}M requests/month, " \
                 f"{i.average_qps:,.0f} QPS average, {i.peak_qps:,.0f} peak"
        for name, model in (("Lambda + SnapStart (" + args.arch + ")", lambda_standard),
                            ("Lambda Managed Instances", managed_instances), ("EKS (on-demand nodes)", eks)):
            result = model(i)
            out.append([volume, name, f"${result['monthly']:,.0f}", result["detail"]])
    return out


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    table = rows(args)
    print(f"inputs: model latency {args.model_latency} s, server CPU {args.cpu_ms} ms per request, "
          f"Lambda memory {args.memory_mb or route_memory_mb()} MB, EC2 ${args.vcpu_hour_price:.4f} per vCPU-hour")
    if args.markdown:
        print("| volume | deployment | USD per month | sizing |")
        print("|---|---|---|---|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        for row in table:
            print(f"{row[1]:<34} {row[2]:>12}  {row[0]}; {row[3]}")


if __name__ == "__main__":
    main()
