"""Keeping data only as long as it may: retention rules, holds, erasure, subject access."""
