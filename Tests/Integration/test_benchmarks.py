"""The benchmark commands run to the end at small sizes and print figures that make sense: a benchmark that breaks (a
refused input, a renamed figure, a step that throws) is found here, not on the night of a million-visitor run."""
import re

from conftest import run_ciclo


def table_rows(output):
    """Rows of `bench scale`'s table: name -> the cells after it (values, ratio, unit)."""
    rows = {}
    for line in output.splitlines():
        match = re.match(r"^ +(\S.*?)\s{2,}(\S+)\s+(\S+)\s+(\S+)\s+(.*)$", line)
        if match and not line.lstrip().startswith(("figure", "note:")):
            rows.setdefault(match.group(1).strip(), match.groups()[1:])
    return rows


def number(text):
    return float(text.replace(",", ""))


def test_bench_scale_runs_every_step_at_two_sizes(tmp_path):
    result = run_ciclo("bench", "scale", "--profiles", "1000", "2000", "--repeats", "1", "--stream-seconds", "2",
                       timeout=900, env={"TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    assert "1,000 visitors" in out and "2,000 visitors" in out, out
    assert "failed" not in out, out
    rows = table_rows(out)
    # Twice the visitors is about twice the events and people, and the ratio column says so.
    small, large, ratio = rows["events"][:3]
    assert 1.6 < number(large) / number(small) < 2.4 and ratio.endswith("×"), rows["events"]
    assert number(rows["profiles"][0]) >= 1000 and number(rows["profiles"][1]) >= 2000
    for name in ["demo load", "profile processing with live hooks", "RFM scores", "first full recompute (50 segments, stages, personas)",
                 "segment vip from scratch", "full recompute with nothing changed", "prediction run (fit, score, affinities)",
                 "loyalty nightly jobs", "member view: p99", "page /people median", "page /people?q=ada median", "page /lifecycle median",
                 "page /analytics median", "train all strategies (read log, popularity, trending, similar, bought together, write)",
                 "3-step funnel over 90 days (raw events)", "live evaluation per event p99", "trigger-to-outbox p99",
                 "stored bytes per event", "peak memory while measuring"]:
        name = name[:72].strip()  # the table cuts names at 72 characters
        assert name in rows, f"{name} missing from\n{out}"
        small, large = number(rows[name][0]), number(rows[name][1])
        # Seconds print with two decimals, so a quick step at 1,000 visitors can read 0.00; anything else was measured.
        assert small >= 0 and large >= 0 and (rows[name][-1].strip() == "s" or (small > 0 and large > 0)), (name, rows[name])
    # A recompute that changes nothing writes no stage changes; the journey step sent what it streamed.
    assert [number(v) for v in rows["stage changes written"][:2]] != [0, 0]
    assert number(rows["messages from the stream"][0]) > 0
    # Without --keep the databases built are removed (at a million profiles they are gigabytes each).
    assert not list(tmp_path.glob("ciclo-bench-*")), list(tmp_path.iterdir())
    # The processor's phases and each live hook's share are printed under profile processing.
    for name in ["batches", "reading events", "writing profiles, identities and cursor", "live hook: audiences", "live hook: loyalty"]:
        assert name in rows and number(rows[name][0]) >= 0, f"{name} missing from\n{out}"


def test_bench_sustained_finds_a_rate_the_server_keeps_up_with(tmp_path):
    result = run_ciclo("bench", "sustained", "--rates", "200", "400", "--step-seconds", "5", "--people", "500",
                       timeout=600, env={"TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-4000:]
    best = re.search(r"highest sustained rate \(lag under 5.0 s\)\s+(\S+) events/s", result.stdout)
    assert best, result.stdout
    assert number(best.group(1)) >= 190, result.stdout
    assert "at 200/s: acknowledged" in result.stdout and "processing lag, worst during the step" in result.stdout
