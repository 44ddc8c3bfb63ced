"""Redirect targets from request values: local paths only (issue 11.9)."""

from __future__ import annotations

import pytest

from tracker.domain.redirects import MAX_LENGTH, safe_redirect_path

# Each of these is read by some browser as another site, a script or a header injection.
HOSTILE = [
    "/\t/evil.example",            # ?next=/%09/evil.example once decoded: browsers drop the tab
    "/%09/evil.example",           # the same, still encoded
    "/\n/evil.example", "/\r/evil.example", "/%0a/evil.example", "/%0d/evil.example",
    "/%0D%0ASet-Cookie:x=1",       # header injection
    "/ok\r\nLocation: https://evil.example",
    "//evil.example", "//evil.example/cases", "///evil.example",
    "/%2fevil.example", "/%2F%2Fevil.example",
    "/\\evil.example", "\\\\evil.example", "/%5cevil.example", "/cases\\..\\x",
    "https://evil.example", "http://evil.example/cases", "HTTPS://evil.example",
    "https:evil.example", "//user@evil.example",
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
    " /cases", "/cases ", "\x00/cases", "/cases\x7f",
    "/\u2215evil.example", "/\uff0fevil.example", "/cäses",
    "evil.example", "cases", "", None, 42, ["/"],
    "/" + "a" * MAX_LENGTH,
]

SAFE = ["/", "/cases", "/cases/12", "/cases?status=open&page=2", "/melden", "/volgen/",
        "/admin/audit#top", "/a/b-c_d.e~f"]


@pytest.mark.parametrize("target", HOSTILE, ids=lambda v: repr(v)[:40])
def test_hostile_targets_are_refused(target):
    assert safe_redirect_path(target) is None


@pytest.mark.parametrize("target", SAFE)
def test_local_paths_are_kept(target):
    assert safe_redirect_path(target) == target
