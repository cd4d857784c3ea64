"""The CLI's answers that need no network and no Prefect: refusals and help say what to do next."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def _run(*args: str, cwd, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDGAR13D_")}
    env.update(PYTHONPATH=str(REPO), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def test_the_sec_is_not_contacted_without_a_declared_agent(tmp_path):
    done = _run("nightly", cwd=tmp_path)
    assert done.returncode == 2
    assert "refusing to contact the SEC" in done.stderr and "EDGAR13D_USER_AGENT" in done.stderr
    assert not (tmp_path / "data" / "edgar13d.duckdb").exists()


def test_a_placeholder_agent_is_refused_too(tmp_path):
    done = _run("backfill", "--cusip", "805423100", cwd=tmp_path,
                env_extra={"EDGAR13D_USER_AGENT": "python-requests/2.31"})
    assert done.returncode == 2 and "refusing to contact the SEC" in done.stderr


def test_a_mistyped_cusip_is_refused_with_the_check_digit(tmp_path):
    done = _run("backfill", "--cusip", "805423101", cwd=tmp_path, env_extra={"EDGAR13D_USER_AGENT": "J j@x.org"})
    assert done.returncode == 2 and "check digit" in done.stderr


def test_status_without_a_database_says_how_to_start(tmp_path):
    done = _run("status", cwd=tmp_path)
    assert done.returncode == 1 and "edgar13d backfill" in done.stdout


def test_every_command_has_help(tmp_path):
    for command in ("parse", "backfill", "nightly", "reparse", "serve", "history", "chart", "report", "sql", "export",
                    "status", "migrate", "alerts"):
        done = _run(command, "--help", cwd=tmp_path)
        assert done.returncode == 0 and "usage: edgar13d " + command in done.stdout


def test_sql_reads_the_database_and_nothing_else(tmp_path):
    from warehouse.store import Warehouse

    data = tmp_path / "data"
    Warehouse.open(data / "edgar13d.duckdb").close()
    raw = data / "raw" / "0000950123" / "0000950123-96-000101.txt.gz"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(b"the archive's record")
    attempts = {
        "overwrite a raw archive file": f"COPY (SELECT 1) TO '{raw}' (FORMAT csv)",
        "write a YAML file": f"COPY (SELECT 'x: 1') TO '{tmp_path / 'config.yaml'}' (HEADER false)",
        "read a system file": "SELECT * FROM read_csv('/etc/passwd')",
        "list files": "SELECT * FROM glob('/etc/*')",
        "install an extension from the network": "INSTALL httpfs",
        "attach another database": f"ATTACH '{tmp_path / 'other.duckdb'}'",
        "turn access back on": "SET enable_external_access = true",
    }
    for what, sql in attempts.items():
        done = _run("sql", sql, cwd=tmp_path)
        assert done.returncode == 2, f"{what}: {done.stdout} {done.stderr}"
        assert "edgar13d sql:" in done.stderr and "Traceback" not in done.stderr, what
    assert raw.read_bytes() == b"the archive's record"
    assert not (tmp_path / "config.yaml").exists() and not (tmp_path / "other.duckdb").exists()
    ok = _run("sql", "SELECT count(*) AS n FROM filings", "--format", "csv", cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.splitlines() == ["\"n\"", "0"]


def test_a_bad_configuration_is_refused_before_anything_starts_one_line_per_problem(tmp_path):
    (tmp_path / "config.yaml").write_text(
        "edgar:\n  user_agent: 12345\n  max_requests_per_second: ten\n  block_cooldown_seconds: -5\n"
        "nightly:\n  watchlist: 805423100\n")
    for command in (["nightly"], ["backfill", "--cusip", "805423100"], ["serve", "--register-only"]):
        done = _run(*command, cwd=tmp_path)
        assert done.returncode == 2, command
        assert "Traceback" not in done.stderr
        problems = [line for line in done.stderr.splitlines() if "config.yaml: " in line]
        assert len(problems) == 4, done.stderr
    assert not (tmp_path / "data").exists()  # nothing was started, not even Prefect's home


def _parse_output(paths: list[str], workers: int, tmp_path) -> tuple[int, str, str]:
    done = _run("parse", "--json", "--workers", str(workers), *paths, cwd=tmp_path)
    return done.returncode, done.stdout, done.stderr


def test_parse_over_many_files_uses_workers_and_prints_in_the_order_given(tmp_path):
    # Enough files for the worker pool (flows/parse_files.PARALLEL_FROM), a missing one among them:
    # the output of two workers is the output of one process, line for line, the failure in its place.
    from flows.parse_files import PARALLEL_FROM

    fixtures = sorted(str(p) for p in (REPO / "tests" / "fixtures").rglob("*") if p.suffix in (".txt", ".htm", ".html"))
    paths = (fixtures * (PARALLEL_FROM // len(fixtures) + 2))[: PARALLEL_FROM + 7]
    paths.insert(PARALLEL_FROM // 2, str(tmp_path / "missing.txt"))
    one = _parse_output(paths, 1, tmp_path)
    two = _parse_output(paths, 2, tmp_path)
    assert one == two
    lines = two[1].splitlines()
    assert len(lines) == len(paths)
    assert [line.split('"file": ')[1].split('"')[1] for line in lines] == paths
    assert '"reason": "unreadable"' in lines[PARALLEL_FROM // 2] and two[0] == 1


def test_parse_reports_come_from_workers_when_there_are_many_files(tmp_path, monkeypatch):
    # In process the pool is not used for a few files, and is for many (no worker starts for one file).
    from flows import parse_files

    started = []
    monkeypatch.setattr(parse_files, "ordered_map",
                        lambda fn, jobs, workers, in_flight, on_lost: started.append(workers) or iter([]))
    assert len(list(parse_files.reports(["a.txt"], True, workers=2))) == 1 and started == []
    list(parse_files.reports([f"{k}.txt" for k in range(parse_files.PARALLEL_FROM)], True, workers=2))
    assert started == [2]


def test_files_left_when_no_worker_can_start_are_parsed_in_process(monkeypatch):
    # A machine that refuses to start worker processes (OSError) after the first chunk: what was not
    # parsed is parsed here, in order, none lost and none twice.
    from flows import parse_files

    def first_chunk_then_refuse(fn, jobs, workers, in_flight, on_lost):
        yield fn(*next(iter(jobs)))
        raise OSError("cannot start a worker")

    monkeypatch.setattr(parse_files, "ordered_map", first_chunk_then_refuse)
    names = sorted(str(p) for p in (REPO / "tests" / "fixtures").rglob("*") if p.suffix in (".txt", ".htm"))
    names = (names * 4)[: parse_files.CHUNK * 5 + 3]
    expected = [parse_files.report(n, True) for n in names]
    assert list(parse_files.reports(names, True, workers=2)) == expected


def test_files_of_a_worker_that_died_are_reported_failed_with_what_to_do():
    from flows import parse_files

    [as_json] = parse_files._died((["a.txt"], True), MemoryError())
    assert as_json.failed and '"reason": "worker_died"' in as_json.out and "--workers 1" in as_json.out
    [as_text] = parse_files._died((["a.txt"], False), MemoryError())
    assert as_text.failed and as_text.err.startswith("a.txt: FAILED (the process parsing it died")
