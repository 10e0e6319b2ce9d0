"""`paperbot summarize` as a user runs it: a real subprocess against fake arXiv and Gemini."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.llm_servers import API_KEY, FakeGeminiServer


async def run_cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERBOT_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'paperbot.db'}",
            "PAPERBOT_ENV_FILE": os.devnull,
            "PAPERBOT_ARXIV_MIN_INTERVAL": "0",
            "PAPERBOT_ARXIV_RETRIES": "1",
            "PAPERBOT_ARXIV_BACKOFF": "0.05",
            # Every outside URL points at loopback, even those a test does not use.
            "PAPERBOT_ARXIV_RSS_URL": "http://127.0.0.1:9/rss",
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    env.update(extra)
    return env


async def test_summarize_pdf_link_with_gemini_then_cached(
    tmp_path: Path, arxiv_server: FakeArxivServer, gemini_server: FakeGeminiServer
) -> None:
    env = cli_env(
        tmp_path,
        PAPERBOT_ARXIV_API_URL=arxiv_server.url,
        PAPERBOT_GEMINI_BASE_URL=gemini_server.base_url,
        GEMINI_API_KEY=API_KEY,
    )
    link = "https://arxiv.org/pdf/2401.12215v1.pdf"
    code, out, err = await run_cli("summarize", link, "--format", "json", env=env)
    assert code == 0, err
    envelope = json.loads(out)
    assert envelope["errors"] == []
    [first] = envelope["results"]
    assert first["paper"]["id"] == "2401.12215"
    assert first["paper"]["version"] == 1
    assert first["paper"]["title"].startswith("Less Could Be Better")
    assert first["paper"]["authors"][0] == "Chenyu Lian"
    assert first["paper"]["abs_url"] == "https://arxiv.org/abs/2401.12215v1"
    assert first["paper"]["pdf_url"] == "https://arxiv.org/pdf/2401.12215v1"
    assert first["provider"] == "gemini"
    assert first["degraded"] is False
    assert first["checks"] == []
    assert first["cached"] is False
    assert set(first["summary"]) == {"title_zh", "tldr", "highlights"}
    assert 3 <= len(first["summary"]["highlights"]) <= 5
    model_calls = gemini_server.count
    assert model_calls == 1
    assert "正在生成中文摘要" in err  # the progress indicator

    code, out, err = await run_cli("summarize", link, "--format", "json", env=env)
    assert code == 0, err
    [second] = json.loads(out)["results"]
    assert second["cached"] is True
    assert second["summary"] == first["summary"]
    assert gemini_server.count == model_calls  # no model request for a repeated paper
    assert "正在生成中文摘要" not in err


async def test_summarize_unknown_paper_and_unreachable_arxiv(
    tmp_path: Path, arxiv_server: FakeArxivServer
) -> None:
    env = cli_env(tmp_path, PAPERBOT_ARXIV_API_URL=arxiv_server.url)
    code, _, err = await run_cli("summarize", "2401.99999", env=env)
    assert code == 1
    assert "找不到论文 arXiv:2401.99999，请检查编号是否正确。" in err
    assert "Traceback" not in err

    env["PAPERBOT_ARXIV_API_URL"] = "http://127.0.0.1:9/api/query"  # nothing listens there
    code, _, err = await run_cli("summarize", "2401.12215", env=env)
    assert code == 1
    assert "暂时无法连接 arXiv" in err
    assert "PAPERBOT_ARXIV_API_URL" in err
    assert "Traceback" not in err


async def test_summarize_without_a_reference_and_with_bad_config(tmp_path: Path) -> None:
    code, out, err = await run_cli("summarize", "hello", "world", env=cli_env(tmp_path))
    assert code == 2
    assert err.strip() == "没有在输入中找到 arXiv 链接或编号。示例：paperbot summarize 2401.12215"
    assert out == ""
    bad = cli_env(tmp_path, PAPERBOT_LLM_PROVIDER="gemini")
    code, _, err = await run_cli("summarize", "2401.12215", env=bad)
    assert code == 1
    assert "GEMINI_API_KEY" in err
    assert "Traceback" not in err


async def test_extractive_summary_is_labelled_offline(
    tmp_path: Path, arxiv_server: FakeArxivServer
) -> None:
    env = cli_env(tmp_path, PAPERBOT_ARXIV_API_URL=arxiv_server.url)
    code, out, err = await run_cli("summarize", "arXiv:2401.12215v1", env=env)
    assert code == 0, err
    assert "ℹ️ 未配置大模型，以下为摘要原文要点（未经机器总结）" in out
    assert "13 out of 18" in out
    assert "正在生成中文摘要" not in err  # nothing is generated without a model


async def test_non_arxiv_inputs_say_what_is_wrong_in_terminal_words(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    code, _, err = await run_cli("summarize", "https://example.com/paper/42", env=env)
    assert code == 2
    assert "「https://example.com/paper/42」不是 arXiv 链接" in err
    code, _, err = await run_cli("summarize", "https://arxiv.org/abs/2401.999999", env=env)
    assert code == 2
    assert "中的 arXiv 编号无效" in err
    for text in (err,):
        assert "/paper" not in text and "详情" not in text  # no chat command, no echoed input


async def test_json_is_one_envelope_with_errors_on_stdout(
    tmp_path: Path, arxiv_server: FakeArxivServer
) -> None:
    env = cli_env(tmp_path, PAPERBOT_ARXIV_API_URL=arxiv_server.url)
    code, out, _ = await run_cli("summarize", "hello", "world", "--format", "json", env=env)
    assert code == 2
    assert json.loads(out) == {
        "results": [],
        "errors": [
            {
                "input": "hello world",
                "code": "no_arxiv_reference",
                "message": "没有在输入中找到 arXiv 链接或编号。示例：paperbot summarize 2401.12215",
            }
        ],
    }
    code, out, _ = await run_cli("summarize", "2401.12215 2401.99999", "--format", "json", env=env)
    assert code == 1  # one failed
    envelope = json.loads(out)
    assert [r["paper"]["id"] for r in envelope["results"]] == ["2401.12215"]
    assert envelope["errors"] == [
        {
            "input": "2401.99999",
            "code": "not_found",
            "message": "找不到论文 arXiv:2401.99999，请检查编号是否正确。",
        }
    ]
    env["PAPERBOT_ARXIV_API_URL"] = "http://127.0.0.1:9/api/query"  # nothing listens there
    code, out, _ = await run_cli("summarize", "1605.08386", "--format", "json", env=env)
    assert code == 1  # (2401.12215 would come from the local cache)
    [error] = json.loads(out)["errors"]
    assert error["code"] == "arxiv_unavailable" and "PAPERBOT_ARXIV_API_URL" in error["message"]


async def test_several_ids_cost_one_arxiv_request_and_versions_collapse(
    tmp_path: Path, arxiv_server: FakeArxivServer
) -> None:
    env = cli_env(tmp_path, PAPERBOT_ARXIV_API_URL=arxiv_server.url)
    text = "2401.12215v1 与 2401.12215 以及 1605.08386 和 2104.12255v1"
    code, out, err = await run_cli("summarize", text, "--format", "json", env=env)
    assert code == 0, err
    ids = [r["paper"]["id"] for r in json.loads(out)["results"]]
    assert ids == ["2401.12215", "1605.08386", "2104.12255"]  # v1 and the latest: one summary
    api = [r for r in arxiv_server.requests if r.path.endswith("/query")]
    assert len(api) == 1, [r.raw_query for r in api]
    assert len(api[0].query["id_list"].split(",")) == 3
