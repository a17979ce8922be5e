"""The real published reports of ../shared/corpus and ../shared/seed (read at run time,
never copied) against their ground truth in tests/fixtures/truth: each imports, every
readable cell is right, nothing is invented, and the agency, year and format are
right. Skipped where the corpus is absent (``NIANBAO_SHARED`` may point to it)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

spec = importlib.util.spec_from_file_location("eval_corpus", ROOT / "scripts" / "eval_corpus.py")
eval_corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_corpus)

SHARED = [(src, truth) for src, truth in eval_corpus.cases([]) if truth.parent == eval_corpus.TRUTH_DIR]


@pytest.mark.skipif(not SHARED, reason="../shared/corpus not present")
@pytest.mark.parametrize("src,truth", SHARED, ids=lambda p: p.name if isinstance(p, Path) else "")
def test_corpus_file(src, truth):
    row = eval_corpus.score(src, truth)
    assert "refused" not in row, row.get("refused")
    assert (row["wrong"], row["missing"], row["spurious"]) == (0, 0, 0), row["bad"]
    assert row["format_ok"] and row["year_ok"], row
    assert row["agency_ok"], (row["agency"], row["want_agency"])


def test_every_corpus_file_has_its_truth():
    for d in eval_corpus.shared_dirs():
        for f in d.glob("*.txt"):
            if f.name != "README.md":
                assert (eval_corpus.TRUTH_DIR / f"{f.stem}.truth.json").is_file(), f.name


def test_eval_script_runs_and_exits_0(capsys):
    assert eval_corpus.main([]) == 0
    out = capsys.readouterr().out
    assert "汇总" in out or "跳过" in out
