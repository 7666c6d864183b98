"""Each city's supplier register, and how its yearly spend is shared among the suppliers.

Names are invented from sector words and stems, spelt in several ways across
invoices (legal-form spellings, capitals, dotted acronyms); a few suppliers are
private individuals, whose names the ledgers redact. Hidden generator fields
start with `_` and never reach a file.
"""

from __future__ import annotations

import numpy as np

from helpers.data.design import CITIES, CityConfig
from helpers.datagen.reference import (
    ABROAD,
    ABROAD_WORDS,
    COUNTRY_PLACES,
    FORM_VARIANTS,
    HOME_COUNTRY,
    HOME_STEMS,
    LOCATIONS,
    REDACTED,
    SECTORS,
    SIZES,
    SOCIAL_FORMS,
    rng_for,
)


def _company_name(
    rng: np.random.Generator, division: str, location: str, size: str, social_type: str | None, used: set[str]
) -> tuple[str, str, str]:
    """(register name, legal form, country) for one invented supplier, unique within a city."""
    words = SECTORS[division][3]
    for attempt in range(50):
        word = words[int(rng.integers(len(words)))]
        if location == "abroad":
            country, form, stems, _ = ABROAD[int(rng.integers(len(ABROAD)))]
            stem = stems[int(rng.integers(len(stems)))]
            base = f"{stem} {ABROAD_WORDS[country]}"
        else:
            country = HOME_COUNTRY
            stem = HOME_STEMS[int(rng.integers(len(HOME_STEMS)))]
            if social_type is not None:
                prefix = next(p for p, t in SOCIAL_FORMS if t == social_type)
                form = "Coop." if social_type == "cooperative" else ""
                base = f"{prefix} {stem} {word}" if form == "" else f"{stem} {word}"
            else:
                form = "S.A." if size in ("medium", "large") and rng.random() < 0.6 else "S.L."
                base = f"{stem} {word}"
        if attempt >= 10:
            base = f"{base} {attempt}"
        name = f"{base} {form}".strip()
        if name not in used:
            used.add(name)
            return name, form, country
    raise RuntimeError("could not make a unique supplier name")  # pragma: no cover


def _name_variants(name: str, form: str) -> tuple[str, ...]:
    """How the same supplier is spelt across invoices: legal-form spellings, capitals, dotted acronyms."""
    base = name[: len(name) - len(form)].strip() if form else name
    variants = [name]
    for spelling in FORM_VARIANTS[form][1:]:
        sep = "" if spelling.startswith(",") else " "
        variants.append(f"{base}{sep}{spelling}")
    variants.append(name.upper())
    first = base.split(" ")[0]
    if first.isupper() and len(first) == 3:
        variants.append(".".join(first) + "." + base[3:] + (f" {form}" if form else ""))
    out: list[str] = []
    for v in variants:
        if v not in out:
            out.append(v)
    return tuple(out)


def _postcode(rng: np.random.Generator, prefix: str) -> str:
    return f"{prefix}{int(rng.integers(0, 100)):02d}"


def _abroad_postcode(rng: np.random.Generator, country: str) -> str:
    n = int(rng.integers(1000, 9999))
    style = {a[0]: a[3] for a in ABROAD}[country]
    if style == "nl":
        return f"{n} {'ABCDEFGHJKLMNPRSTVWXZ'[n % 21]}{'ABCDEFGHJKLMNPRSTVWXZ'[n % 17]}"
    if style == "pt":
        return f"{n}-{int(rng.integers(100, 999))}"
    if style == "ie":
        return f"D{n % 24 + 1:02d} {'ACDEFHKNPRTVWXY'[n % 15]}{n % 1000:03d}"
    return f"{int(rng.integers(10000, 99999))}"


def _vat_number(rng: np.random.Generator, country: str) -> str:
    digits = "".join(str(int(d)) for d in rng.integers(0, 10, 9))
    if country == "NL":
        return f"NL{digits}B01"
    if country == "IE":
        return f"IE{digits[:7]}{'ABCDEFGHKW'[int(digits[7])]}"
    if country == "FR":
        return f"FR{digits[:2]}{digits}"
    return f"{country}{digits}"


def _supplier_id(cfg: CityConfig, i: int) -> str:
    if cfg.city == "portavera":
        return f"{i + 1:06d}"  # leading zeros: ids must be read as text
    if cfg.city == "valmora":
        return f"VAL-{i + 1:04d}"
    return f"{7_000_000 + i + 1}"


# suppliers the running purchases need in Portavera: (name, form, location, size, division, social type)
FEATURED_SUPPLIERS = (
    ("Juegos del Puerto S.L.", "S.L.", "city", "small", "37", None),
    ("PlayForm Europe B.V.", "B.V.", "abroad", "large", "37", None),
    ("Ludoteca Costa Alta Coop.", "Coop.", "region", "small", "37", "cooperative"),
    ("Spielwerk Nord GmbH", "GmbH", "abroad", "medium", "37", None),
    ("Areal Urban Equipamientos S.A.", "S.A.", "country", "large", "37", None),
    ("Cocina Común Coop.", "Coop.", "city", "small", "55", "cooperative"),
    ("EuroCater Servicios S.A.", "S.A.", "country", "large", "55", None),
    ("Mesa Verde Catering S.L.", "S.L.", "region", "medium", "55", None),
)


def make_suppliers(cfg: CityConfig) -> list[dict]:
    """The city's supplier register, with hidden generator fields (prefixed `_`)."""
    rng = rng_for(CITIES.index(cfg), 1)
    divisions = list(SECTORS)
    div_p = np.array([SECTORS[d][0] for d in divisions])
    div_p = div_p / div_p.sum()
    loc_p = {
        "portavera": (0.36, 0.24, 0.33, 0.07),
        "valmora": (0.45, 0.25, 0.26, 0.04),
        "nordhaven": (0.33, 0.20, 0.38, 0.09),
    }[cfg.city]
    region_prefixes = [p for p, _ in cfg.region_places]
    country_prefixes = [p for p, _ in COUNTRY_PLACES]
    used: set[str] = set()
    rows: list[dict] = []
    featured = FEATURED_SUPPLIERS if cfg.city == "portavera" else ()
    for i in range(cfg.n_suppliers):
        if i < len(featured):
            name, form, location, size, division, social_type = featured[i]
            used.add(name)
            country = {"B.V.": "NL", "GmbH": "DE"}.get(form, HOME_COUNTRY)
            individual = False
        else:
            location = LOCATIONS[int(rng.choice(4, p=loc_p))]
            division = divisions[int(rng.choice(len(divisions), p=div_p))]
            size = SIZES[int(rng.choice(4, p=(0.46, 0.30, 0.15, 0.09)))]
            social_type = None
            individual = location != "abroad" and rng.random() < 0.09
            if individual:
                size = "micro"
            elif location != "abroad" and size != "large" and rng.random() < 0.05:
                social_type = SOCIAL_FORMS[int(rng.integers(len(SOCIAL_FORMS)))][1]
            if individual:
                name, form, country = f"Private individual {_supplier_id(cfg, i)}", "", HOME_COUNTRY
            else:
                name, form, country = _company_name(rng, division, location, size, social_type, used)
        if location == "city":
            postcode = _postcode(rng, cfg.city_prefixes[int(rng.integers(len(cfg.city_prefixes)))])
        elif location == "region":
            postcode = _postcode(rng, region_prefixes[int(rng.integers(len(region_prefixes)))])
        elif location == "country":
            postcode = _postcode(rng, country_prefixes[int(rng.integers(len(country_prefixes)))])
        else:
            postcode = _abroad_postcode(rng, country)
        lo, hi = {"micro": (1, 9), "small": (10, 49), "medium": (50, 249), "large": (250, 8000)}[size]
        employees = 1 if individual else int(np.exp(rng.uniform(np.log(lo), np.log(hi + 1))))
        employees = min(max(employees, lo), hi)
        t_lo, t_hi = {"micro": (0.05e6, 2e6), "small": (2e6, 10e6), "medium": (10e6, 50e6), "large": (50e6, 900e6)}[
            size
        ]
        turnover = float(np.exp(rng.uniform(np.log(t_lo), np.log(t_hi))))
        if individual:
            turnover = float(rng.uniform(20e3, 120e3))
        rows.append(
            {
                "supplier_id": _supplier_id(cfg, i),
                "name": name,
                "vat_number": "" if individual else _vat_number(rng, country),
                "postcode": postcode,
                "country": country,
                "size_class": size,
                "employees": employees,
                "turnover_eur": round(turnover, -3),
                "social_economy": social_type is not None,
                "social_economy_type": social_type or "",
                "nace_section": SECTORS[division][2],
                "cpv_division": division,
                "_location": location,
                "_form": form,
                "_individual": individual,
                "_variants": (REDACTED,) if individual else _name_variants(name, form),
            }
        )
    return rows


def spend_weights(cfg: CityConfig, suppliers: list[dict], year: int) -> np.ndarray:
    """Annual spend per supplier: heavy-tailed, then raked so the city's shares hit their targets."""
    rng = rng_for(CITIES.index(cfg), 2)
    n = len(suppliers)
    size_mult = np.array(
        [{"micro": 0.3, "small": 1.0, "medium": 3.0, "large": 10.0}[s["size_class"]] for s in suppliers]
    )
    sector_mult = np.array([SECTORS[s["cpv_division"]][1] for s in suppliers])
    base = rng.lognormal(0.0, 1.5, n) * size_mult * sector_mult
    base[[s["_individual"] for s in suppliers]] *= 0.3
    # the ten biggest are large firms the city depends on, the same in both years
    n_featured = len(FEATURED_SUPPLIERS) if cfg.city == "portavera" else 0
    eligible = np.array(
        [s["size_class"] == "large" and not s["social_economy"] and i >= n_featured for i, s in enumerate(suppliers)]
    )
    top = np.argsort(-np.where(eligible, base, -1.0), kind="stable")[:10]
    yrng = rng_for(CITIES.index(cfg), 3, year)
    w = base * yrng.lognormal(0.0, 0.25, n)
    w[yrng.random(n) < 0.08] = 0.0  # not every supplier is paid every year
    w[top] = np.maximum(w[top], 1e-9)
    for i in range(n_featured):
        w[i] = max(w[i], np.median(base))  # featured firms appear in both years
    is_top = np.zeros(n, bool)
    is_top[top] = True
    top_w = np.array([0.070, 0.055, 0.045, 0.040, 0.035, 0.033, 0.031, 0.028, 0.026, 0.025])
    w[top] = top_w / top_w.sum() * cfg.top10_share
    rest = ~is_top
    loc = np.array([LOCATIONS.index(s["_location"]) for s in suppliers])
    sme = np.array([s["size_class"] != "large" for s in suppliers])
    social = np.array([s["social_economy"] for s in suppliers])
    loc_target = np.array(cfg.location_shares[year]) - np.bincount(loc[is_top], w[is_top], 4)
    sme_target = cfg.sme_share - w[is_top & sme].sum()
    social_target = cfg.social_share
    w[rest] = w[rest] / w[rest].sum() * (1.0 - cfg.top10_share)
    for _ in range(60):  # iterative proportional fitting
        for k in range(4):
            m = rest & (loc == k)
            w[m] *= loc_target[k] / w[m].sum()
        for mask, target in ((rest & sme, sme_target), (rest & ~sme, 1 - cfg.top10_share - sme_target)):
            w[mask] *= target / w[mask].sum()
        for mask, target in ((rest & social, social_target), (rest & ~social, 1 - cfg.top10_share - social_target)):
            w[mask] *= target / w[mask].sum()
    return w / w.sum() * cfg.annual_spend_eur
