"""The loopback-only guard refuses outside addresses, in-process and in subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.network_guard import NonLoopbackAccess, is_loopback, loopback_only


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("localhost", True),
        ("10.0.0.1", False),
        ("192.168.1.1", False),
        ("8.8.8.8", False),
        ("export.arxiv.org", False),
        ("api.telegram.org", False),
    ],
)
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_guard_refuses_and_records_even_if_caught() -> None:
    violations: list[str] = []
    with loopback_only(violations):
        with pytest.raises(NonLoopbackAccess):
            socket.getaddrinfo("export.arxiv.org", 443)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            with pytest.raises(NonLoopbackAccess):
                sock.connect(("192.0.2.1", 9))  # TEST-NET-1: refused before any packet
        finally:
            sock.close()
    assert len(violations) == 2


def test_subprocesses_inherit_the_guard(tmp_path: pytest.TempPathFactory) -> None:
    code = (
        "import socket\n"
        "try:\n"
        "    socket.getaddrinfo('rss.arxiv.org', 443)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=True,
    )
    assert out.stdout.strip() == "NonLoopbackAccess"
    log = os.environ["LOOPBACK_GUARD_LOG"]
    with open(log, encoding="utf-8") as handle:
        assert "rss.arxiv.org" in handle.read()
    os.remove(log)  # recorded on purpose here: do not fail this test for it
