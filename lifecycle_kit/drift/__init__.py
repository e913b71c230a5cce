"""Drift: shift simulation, two-sample tests, stream detectors and monitoring."""
