"""The labelled narrative cases (tests/fixtures/prose/cases.jsonl) scored the way
scripts/eval_prose.py scores them: every P rule keeps precision and recall ≥ 95 %, every
published document has its sections found, and the seed's 370-vs-283 is found in each
shape it is written in."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from addin.ruleset import builtin_rules

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("eval_prose", ROOT / "scripts" / "eval_prose.py")
eval_prose = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_prose)

CASES = eval_prose.load_cases()
PROSE_RULES = sorted(r.id for r in builtin_rules().rules if r.origin == "prose.json")


@pytest.fixture(scope="module")
def scored():
    return eval_prose.score(CASES)


def test_the_set_is_large_and_covers_every_rule_both_ways():
    assert len(CASES) >= 200
    fires = Counter(r for c in CASES for r in c["expect"])
    assert all(fires[r] >= 2 for r in PROSE_RULES), fires
    assert sum(1 for c in CASES if not c["expect"]) >= 100  # correct look-alikes
    assert sum(1 for c in CASES if "document" in c) >= 15  # published text through the importer
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule_id", PROSE_RULES)
def test_precision_and_recall_at_least_95_percent(scored, rule_id):
    counts, wrong, _ = scored
    p, r = eval_prose.ratios(counts[rule_id])
    misses = [(c["id"], sorted(f)) for c, f, _ in wrong if rule_id in set(c["expect"]) ^ f]
    assert p >= eval_prose.GOAL and r >= eval_prose.GOAL, misses


def test_sections_of_every_published_document_are_found(scored):
    _, _, sections_wrong = scored
    assert sections_wrong == []


SEED_SHAPES = [c for c in CASES if "-seed-" in c["id"]]


@pytest.mark.parametrize("case", SEED_SHAPES, ids=lambda c: c["id"])
def test_seed_370_against_283_in_each_shape(case):
    fired, findings, _ = eval_prose.run_case(case)
    [f] = [f for f in findings if f.rule == "P005"]
    assert (f.expected, f.actual) == (370, 283)
    assert "总数 370 条" in f.message and "= 283 条" in f.message and "相差 87 条" in f.message
    assert "“一、总体情况”中写道" in f.message and "请在最后一项后加“等”" in f.message


def test_seed_shapes_cover_the_issue():
    shapes = {c["id"].split("-seed-")[1] for c in SEED_SHAPES}
    assert {"own-wording", "new-sentence", "qizhong-colon", "bracket", "ascii-comma", "label-with-dunhao",
            "pdf-wrap", "leiji", "colon-after-total"} <= shapes


def test_eval_script_runs_and_prints_the_table(capsys, tmp_path):
    assert eval_prose.main([str(tmp_path)]) == 0  # an empty folder of real reports
    out = capsys.readouterr().out
    assert "精确率" in out and "召回率" in out and all(r in out for r in PROSE_RULES)
