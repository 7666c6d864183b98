"""The synthetic-data generator: byte-identical output, schema conformance, plausible figures,
the running case's facts, and real CPV codes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.__main__ import COMMAND_MODULES
from helpers.__main__ import main as cli_main
from helpers.datagen import generate as datagen

REPO_DATASETS = Path(__file__).resolve().parents[3] / "datasets"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen_a")
    datagen.generate_all(out)
    return out


@pytest.fixture(scope="module")
def package(generated) -> dict:
    return json.loads((generated / "datapackage.json").read_text("utf-8"))


def _sha(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- determinism and the manifest


def test_regeneration_is_byte_identical(generated, package, tmp_path):
    datagen.generate_all(tmp_path)
    files = sorted(p.relative_to(generated) for p in generated.rglob("*") if p.is_file())
    assert len(files) == 23  # 22 tables + datapackage.json
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (generated / rel).read_bytes(), rel
    for res in package["resources"]:
        assert _sha(generated / res["path"]) == res["hash"]


def test_shipped_manifest_matches_the_generator(package):
    shipped = json.loads((REPO_DATASETS / "datapackage.json").read_text("utf-8"))
    assert {r["path"]: r["hash"] for r in shipped["resources"]} == {r["path"]: r["hash"] for r in package["resources"]}
    for res in shipped["resources"]:
        if res["committed"]:
            assert _sha(REPO_DATASETS / res["path"]) == res["hash"], res["path"]


def test_package_metadata(package):
    assert package["synthetic"] is True
    assert package["licenses"][0]["name"] == "CC0-1.0"
    ledgers = [r for r in package["resources"] if r["table"].startswith("ledger_")]
    assert len(ledgers) == 6 and all(r["hash"].startswith("sha256:") and not r["committed"] for r in ledgers)
    assert [c["city"] for c in package["cities"]] == ["portavera", "valmora", "nordhaven"]


def test_committed_files_are_small(generated, package):
    total = sum((generated / r["path"]).stat().st_size for r in package["resources"] if r["committed"])
    total += (generated / "datapackage.json").stat().st_size
    assert total < 2_000_000


def test_check_detects_an_edited_file(generated, tmp_path, capsys):
    copy = tmp_path / "datasets"
    shutil.copytree(generated, copy)
    assert cli_main(["generate-data", "--check", "--out", str(copy)]) == 0
    target = copy / "shared" / "tenders.csv"
    target.write_bytes(target.read_bytes().replace(b"portavera", b"portaverX", 1))
    assert cli_main(["generate-data", "--check", "--out", str(copy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the data check found problems: shared/tenders.csv: the file on disk differs")
    assert err.count("differs") == 1


# ---------------------------------------------------------------- schema conformance


def _header(path: Path, res: dict) -> list[str]:
    text = path.read_bytes().decode(res["encoding"])
    rows = list(csv.reader(io.StringIO(text), delimiter=res["dialect"]["delimiter"]))
    return rows[res["dialect"].get("headerRows", [1])[0] - 1]


def test_every_file_has_exactly_the_declared_columns(generated, package):
    assert len(package["resources"]) == 22
    for res in package["resources"]:
        fields = [f["name"] for f in res["schema"]["fields"]]
        assert _header(generated / res["path"], res) == fields, res["path"]
        assert all(f["type"] and f["description"] for f in res["schema"]["fields"])


# ---------------------------------------------------------------- Portavera's ledger, parsed simply


def _portavera(generated: Path, year: int) -> pd.DataFrame:
    ledger = pd.read_csv(generated / "portavera" / f"ledger_{year}.csv", dtype=str, encoding="utf-8")
    ledger["net"] = ledger["Net Amount"].str.replace(",", "").astype(float)
    return ledger


@pytest.fixture(scope="module")
def pv_ledgers(generated) -> dict[int, pd.DataFrame]:
    return {y: _portavera(generated, y) for y in (2024, 2025)}


def _shares(generated: Path, city: str, ledger: pd.DataFrame, sid: str, net: str) -> dict[str, float]:
    sup = pd.read_csv(generated / city / "suppliers.csv", dtype=str)
    geo = pd.read_csv(generated / city / "geography.csv", dtype=str)
    m = ledger.merge(sup, left_on=sid, right_on="supplier_id", how="left", validate="many_to_one")
    assert m["supplier_id"].notna().all()
    level = m["postcode"].str[:3].map(dict(zip(geo["postcode_prefix"], geo["level"])))
    level = level.where(m["country"] == "XM", "abroad")
    total = m[net].sum()
    by_supplier = m.groupby("supplier_id")[net].sum()
    return {
        "city": m.loc[level == "city", net].sum() / total,
        "region": m.loc[level.isin(["city", "region"]), net].sum() / total,
        "sme": m.loc[m["size_class"] != "large", net].sum() / total,
        "social": m.loc[m["social_economy"] == "true", net].sum() / total,
        "top10": by_supplier.nlargest(10).sum() / total,
    }


def test_portavera_ledger_quirks(pv_ledgers):
    for led in pv_ledgers.values():
        assert len(led) >= 50_000
        assert 0.005 <= (led["net"] < 0).mean() <= 0.015  # credit notes ~1%
        redacted = led["Supplier Name"] == "REDACTED - PERSONAL DATA"
        assert 0.01 <= redacted.mean() <= 0.035  # ~2%
        assert led.loc[redacted, "Supplier No"].notna().all()
        assert 0.001 <= led.duplicated().mean() <= 0.004  # ~0.2% exact duplicates
        assert 0.03 <= led["Postcode"].isna().mean() <= 0.07  # ~5% missing
        gross = led["Gross Amount"].str.replace(",", "").astype(float)
        vat = led["VAT Amount"].str.replace(",", "").astype(float)
        assert np.allclose(gross, led["net"] + vat, atol=0.011)
        assert led["Supplier No"].str.fullmatch(r"\d{6}").all()
    names = pv_ledgers[2024].groupby("Supplier No")["Supplier Name"].nunique()
    assert (names >= 3).sum() > 100  # name variants


def test_portavera_plausibility(generated, pv_ledgers):
    s24 = _shares(generated, "portavera", pv_ledgers[2024], "Supplier No", "net")
    s25 = _shares(generated, "portavera", pv_ledgers[2025], "Supplier No", "net")
    for s in (s24, s25):
        assert 0.20 <= s["city"] <= 0.30
        assert 0.45 <= s["region"] <= 0.55
        assert 0.30 <= s["sme"] <= 0.40
        assert 0.03 <= s["social"] <= 0.08
        assert 0.30 <= s["top10"] <= 0.45
    assert s25["region"] > s24["region"]


def test_other_cities_dialects_and_contrasts(generated, pv_ledgers):
    raw = (generated / "valmora" / "ledger_2024.csv").read_bytes()
    assert raw.startswith(b"Valmora Town Council - payments report\r\nPeriod: 01/01/2024 - 31/12/2024\r\n")
    vm = pd.read_csv(io.BytesIO(raw), sep=";", skiprows=2, dtype=str, encoding="windows-1252")
    assert vm.iloc[-1]["Date"] == "TOTAL"
    to_num = lambda s: s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False).astype(float)  # noqa: E731
    body = vm.iloc[:-1]
    assert to_num(vm.iloc[-1:]["Net"]).iloc[0] == pytest.approx(to_num(body["Net"]).sum(), abs=0.01)
    nh_raw = (generated / "nordhaven" / "ledger_2024.csv").read_bytes()
    assert nh_raw.startswith("\ufeffposting_datetime\t".encode("utf-8"))
    nh = pd.read_csv(io.BytesIO(nh_raw), sep="\t", dtype=str, encoding="utf-8-sig")
    repeated = nh.index[nh["posting_datetime"] == "posting_datetime"]
    assert len(repeated) == 1 and 0.3 * len(nh) < repeated[0] < 0.7 * len(nh)
    nh = nh.drop(repeated)
    assert nh["posting_datetime"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d").all()
    pv = _shares(generated, "portavera", pv_ledgers[2024], "Supplier No", "net")
    body = body.assign(net=to_num(body["Net"]))
    vm_s = _shares(generated, "valmora", body, "Creditor ID", "net")
    nh_s = _shares(generated, "nordhaven", nh.assign(net=nh["amount_net"].astype(float)), "vendor_id", "net")
    assert vm_s["city"] > pv["city"] + 0.05
    assert nh_s["sme"] < pv["sme"] - 0.05
    assert 7_500 <= len(body) <= 8_500 and 19_000 <= len(nh) <= 21_000


# ---------------------------------------------------------------- tenders and bids


@pytest.fixture(scope="module")
def shared(generated) -> dict[str, pd.DataFrame]:
    names = (
        "tenders",
        "bids",
        "bid_marks",
        "contracts",
        "kpis",
        "kpi_returns",
        "social_value_commitments",
        "social_value_delivery",
        "cpv_divisions",
    )
    return {n: pd.read_csv(generated / "shared" / f"{n}.csv", dtype=str) for n in names}


def test_portavera_tenders(shared):
    t = shared["tenders"]
    pv = t[t["city"] == "portavera"]
    assert 110 <= len(pv) <= 130 and {"valmora", "nordhaven"} <= set(t["city"])
    competed = pv[(pv["status"] == "complete") & pv["procedure"].isin(["open", "restricted"])]
    single = (competed["number_of_tenderers"].astype(int) == 1).mean()
    assert 0.15 <= single <= 0.25
    opened = pv[pv["procedure"] == "open"]
    days = (pd.to_datetime(opened["submission_deadline"]) - pd.to_datetime(opened["publication_date"])).dt.days
    assert (days >= 35).mean() >= 0.7 and (days >= 30).mean() >= 0.9
    assert 1 <= (days < 15).sum() <= 0.1 * len(opened)


def test_heavily_discounted_winners_exist(shared):
    b = shared["bids"]
    b = b[b["status"] == "valid"].assign(price=lambda d: d["price_eur"].astype(float))
    gaps = []
    for _, lot in b.groupby(["tender_id", "lot"]):
        prices = sorted(lot["price"])
        winner = lot.loc[lot["winner"] == "true", "price"]
        if len(prices) >= 2 and len(winner) == 1 and winner.iloc[0] == prices[0]:
            gaps.append((prices[1] - prices[0]) / prices[0])
    q1, q3 = np.percentile(gaps, [25, 75])
    flagged = [g for g in gaps if g >= q3 + 1.5 * (q3 - q1)]  # Cardinal R058 fence
    assert 3 <= len(flagged) <= 15


def test_featured_playground_tender(shared):
    t = shared["tenders"].set_index("tender_id").loc["PV-T-2025-017"]
    assert (t["cpv_code"], t["procedure"], t["price_weight"], t["number_of_tenderers"]) == (
        "37535200-9",
        "open",
        "40",
        "5",
    )
    bids = shared["bids"][shared["bids"]["tender_id"] == "PV-T-2025-017"]
    marks = shared["bid_marks"][shared["bid_marks"]["tender_id"] == "PV-T-2025-017"]
    assert len(bids) == 5 and marks["mark"].astype(int).between(0, 5).all()
    weights = marks.drop_duplicates("criterion")["weight"].astype(int)
    assert weights.sum() == 60 and len(weights) == 4
    # hand check: Juegos del Puerto 51/60 quality points and 40*965,000/1,085,000 price points = 86.58
    winner = bids[bids["winner"] == "true"].iloc[0]
    assert winner["bidder_name"] == "Juegos del Puerto S.L." and winner["quality_pct"] == "85.00"
    jp = marks[marks["bidder_name"] == "Juegos del Puerto S.L."]
    quality_points = (jp["weight"].astype(int) * jp["mark"].astype(int) / 5).sum()
    assert quality_points == 51
    assert round(quality_points + 40 * 965_000 / 1_085_000, 2) == 86.58
    assert round(53 + 40 * 965_000 / 1_180_000, 2) == 85.71  # the runner-up, Ludoteca Costa Alta
    assert set(bids["bidder_name"]) == set(marks["bidder_name"])


def test_school_meals_tender(shared):
    t = shared["tenders"].set_index("tender_id").loc["PV-T-2024-009"]
    assert t["cpv_code"] == "55523100-3"
    bids = shared["bids"][shared["bids"]["tender_id"] == "PV-T-2024-009"]
    assert bids.loc[bids["winner"] == "true", "bidder_name"].tolist() == ["Cocina Común Coop."]


# ---------------------------------------------------------------- contracts and monitoring


def _rag(value: float, target: float, direction: str, tol: float) -> str:
    if direction == "higher":
        return "green" if value >= target else "amber" if value >= target * (1 - tol / 100) else "red"
    return "green" if value <= target else "amber" if value <= target * (1 + tol / 100) else "red"


def test_contracts_and_kpis(shared):
    c, k = shared["contracts"], shared["kpis"]
    assert (c["city"] == "portavera").sum() == 15 and {"valmora", "nordhaven"} <= set(c["city"])
    per_contract = k.groupby("contract_id").size()
    assert per_contract.between(3, 5).all() and set(per_contract.index) == set(c["contract_id"])
    assert set(k["direction"]) == {"higher", "lower"}
    ends = pd.to_datetime(c["end_date"])
    assert ((ends > "2026-11-30") & (ends <= "2027-05-30")).any()
    r = shared["kpi_returns"].merge(k, on=["contract_id", "kpi_id"])
    rag = [
        _rag(float(v), float(t), d, float(tol))
        for v, t, d, tol in zip(r["value"], r["target"], r["direction"], r["tolerance_pct"])
    ]
    counts = pd.Series(rag).value_counts(normalize=True)
    assert counts["red"] > 0.02 and counts["amber"] > 0.05 and counts["green"] > 0.6
    assert r["period"].max() == "2026-10"
    # some returns are missing on purpose
    starts = c.set_index("contract_id")["start_date"]
    expected = sum(
        len(pd.period_range(starts[cid][:7], min(c.set_index("contract_id")["end_date"][cid][:7], "2026-10"), freq="M"))
        * n
        for cid, n in per_contract.items()
    )
    assert len(shared["kpi_returns"]) < expected


def test_march_2026_service_credit_for_the_playground_contract(shared):
    c = shared["contracts"].set_index("contract_id").loc["PV-C-2025-017"]
    assert (c["cpv_code"], c["supplier_name"]) == ("37535200-9", "Juegos del Puerto S.L.")
    k = shared["kpis"][shared["kpis"]["contract_id"] == "PV-C-2025-017"]
    r = shared["kpi_returns"]
    march = r[(r["contract_id"] == "PV-C-2025-017") & (r["period"] == "2026-03")].merge(k, on=["contract_id", "kpi_id"])
    assert len(march) == 4
    rag = [
        _rag(float(v), float(t), d, float(tol))
        for v, t, d, tol in zip(march["value"], march["target"], march["direction"], march["tolerance_pct"])
    ]
    assert sorted(rag) == ["green", "green", "green", "red"]
    red = march.iloc[rag.index("red")]
    assert (red["name"], red["value"]) == ("Repair response time", "72.00")  # 72 h > 48 h + 25%
    credit = float(c["service_credit_pct"]) / 100 * float(c["monthly_charge_eur"])
    assert round(credit, 2) == 678.13  # 3% of €22,604.17


def test_social_value_has_a_contract_behind_its_path(shared):
    com = shared["social_value_commitments"]
    assert set(com["measure"]) == {
        "local_hires",
        "apprenticeships",
        "local_subcontract_spend_eur",
        "training_hours",
        "co2_tonnes_saved",
    }
    d = shared["social_value_delivery"].assign(delivered=lambda x: x["delivered"].astype(float))
    done = d.groupby(["contract_id", "measure"])["delivered"].sum()
    c = shared["contracts"].set_index("contract_id")
    months = {
        cid: (
            pd.Period(min(c.loc[cid, "end_date"][:7], "2026-10"), "M") - pd.Period(c.loc[cid, "start_date"][:7], "M")
        ).n
        + 1
        for cid in c.index
    }
    terms = {
        cid: (pd.Period(c.loc[cid, "end_date"][:7], "M") - pd.Period(c.loc[cid, "start_date"][:7], "M")).n + 1
        for cid in c.index
    }
    ratios = [
        done[(row.contract_id, row.measure)]
        / (float(row.committed_total) * months[row.contract_id] / terms[row.contract_id])
        for row in com.itertuples()
    ]
    assert sum(x < 0.8 for x in ratios) >= 5 and sum(x >= 0.9 for x in ratios) >= 10


# ---------------------------------------------------------------- CPV codes are real


@pytest.mark.realdata
def test_every_cpv_code_exists_in_the_real_cpv(real_data_dir, shared):
    real = pd.read_csv(real_data_dir / "cpv2008_codes_en.csv", dtype=str, encoding="utf-8-sig")
    assert len(real) == 9_454
    codes = set(real["CODE"])
    used = (
        set(shared["cpv_divisions"]["code"])
        | set(shared["tenders"]["cpv_code"])
        | set(shared["contracts"]["cpv_code"])
        | {t[0] for t in datagen.TENDER_TEMPLATES}
    )
    assert used <= codes, sorted(used - codes)
    assert {"37535200-9", "55523100-3", "45000000-7", "48000000-8"} <= used
    divisions = shared["cpv_divisions"]
    assert (divisions["code"].str[:2] == divisions["division"]).all() and len(divisions) == 32
    # the labels are the real CPV 2008 English labels
    labels = dict(zip(real["CODE"], real["EN"]))
    assert all(labels[code] == name for code, name in zip(divisions["code"], divisions["name"]))


# ---------------------------------------------------------------- the missing ledgers (first use)


def _without_ledgers(generated: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "datasets"
    shutil.copytree(generated, copy, ignore=shutil.ignore_patterns("ledger_*.csv"))
    return copy


def test_generate_missing_makes_only_the_missing_ledgers(generated, package, tmp_path):
    copy = _without_ledgers(generated, tmp_path)
    (copy / "portavera" / "ledger_2024.csv").write_bytes((generated / "portavera" / "ledger_2024.csv").read_bytes())
    assert datagen.generate_missing(copy) == 5
    for res in package["resources"]:
        assert _sha(copy / res["path"]) == res["hash"], res["path"]
    assert datagen.generate_missing(copy) == 0


def test_generate_missing_refuses_a_ledger_that_does_not_match_its_hash(generated, tmp_path, capsys):
    copy = _without_ledgers(generated, tmp_path)
    manifest = json.loads((copy / "datapackage.json").read_text("utf-8"))
    for res in manifest["resources"]:
        if res["path"] == "valmora/ledger_2024.csv":
            res["hash"] = "sha256:" + "0" * 64
    (copy / "datapackage.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert cli_main(["generate-data", "--if-missing", "--out", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "the regenerated valmora/ledger_2024.csv does not match datapackage.json" in err and "git pull" in err
    assert not (copy / "valmora" / "ledger_2024.csv").exists()
    assert cli_main(["generate-data", "--if-missing", "--out", str(tmp_path / "nowhere")]) == 2
    assert "course data folder was not found" in capsys.readouterr().err


def test_the_command_lives_in_the_cli_module():
    assert "helpers.datagen.cli" in COMMAND_MODULES and "helpers.datagen.generate" not in COMMAND_MODULES
