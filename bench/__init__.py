"""Benchmarks against their anchors; results under bench/results/."""
