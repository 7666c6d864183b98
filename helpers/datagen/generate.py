"""The deterministic synthetic-data generator behind `datasets/`.

Everything the course ships is made here from one fixed seed: three fictional
cities' supplier registers, geography, payment ledgers (each in its own finance
system's dialect), and the shared tenders, bids, contracts, KPIs and social-value
tables. The same code always writes the same bytes, so `datapackage.json` can
record a SHA-256 hash per file and `generate-data --check` can prove a copy is
intact. All names, people, places and figures are invented (course design); the
CPV codes are real and hard-coded (verified in the real-data tests).

Why numpy's Generator with fixed seeds per part: each table draws from its own
stream, so changing one table never shifts another, and no output depends on
dict/set ordering or hash randomisation.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from helpers.core.errors import LearnerError
from helpers.monitoring.kpis import rag_status  # the one RAG rule: the data is built to follow it

SEED = 20_250_917
YEARS = (2024, 2025)
AS_OF = date(2026, 11, 30)          # the "today" of the course's data extract
LAST_KPI_PERIOD = "2026-10"         # monthly returns are in up to this month
HOME_COUNTRY = "XM"                 # user-assigned ISO code for the fictional country
HOME_COUNTRY_NAME = "Meridia (fictional)"
REDACTED = "REDACTED - PERSONAL DATA"

# --------------------------------------------------------------------------- reference data

# CPV 2008 divisions (code with check digit) used by the course; division 37 is added
# for the running purchase (playground equipment, 37535200-9).
CPV_DIVISIONS: tuple[tuple[str, str, str], ...] = (
    ("03", "03000000-1", "Agricultural, farming, fishing, forestry and related products"),
    ("09", "09000000-3", "Petroleum products, fuel, electricity and other sources of energy"),
    ("15", "15000000-8", "Food, beverages, tobacco and related products"),
    ("18", "18000000-9", "Clothing, footwear, luggage articles and accessories"),
    ("22", "22000000-0", "Printed matter and related products"),
    ("30", "30000000-9", "Office and computing machinery, equipment and supplies except furniture and software packages"),
    ("31", "31000000-6", "Electrical machinery, apparatus, equipment and consumables; lighting"),
    ("32", "32000000-3", "Radio, television, communication, telecommunication and related equipment"),
    ("33", "33000000-0", "Medical equipments, pharmaceuticals and personal care products"),
    ("34", "34000000-7", "Transport equipment and auxiliary products to transportation"),
    ("37", "37000000-8", "Musical instruments, sport goods, games, toys, handicraft, art materials and accessories"),
    ("39", "39000000-2", "Furniture (incl. office furniture), furnishings, domestic appliances (excl. lighting) and cleaning products"),
    ("44", "44000000-0", "Construction structures and materials; auxiliary products to construction (except electric apparatus)"),
    ("45", "45000000-7", "Construction work"),
    ("48", "48000000-8", "Software package and information systems"),
    ("50", "50000000-5", "Repair and maintenance services"),
    ("55", "55000000-0", "Hotel, restaurant and retail trade services"),
    ("60", "60000000-8", "Transport services (excl. Waste transport)"),
    ("64", "64000000-6", "Postal and telecommunications services"),
    ("65", "65000000-3", "Public utilities"),
    ("66", "66000000-0", "Financial and insurance services"),
    ("70", "70000000-1", "Real estate services"),
    ("71", "71000000-8", "Architectural, construction, engineering and inspection services"),
    ("72", "72000000-5", "IT services: consulting, software development, Internet and support"),
    ("73", "73000000-2", "Research and development services and related consultancy services"),
    ("77", "77000000-0", "Agricultural, forestry, horticultural, aquacultural and apicultural services"),
    ("79", "79000000-4", "Business services: law, marketing, consulting, recruitment, printing and security"),
    ("80", "80000000-4", "Education and training services"),
    ("85", "85000000-9", "Health and social work services"),
    ("90", "90000000-7", "Sewage, refuse, cleaning and environmental services"),
    ("92", "92000000-1", "Recreational, cultural and sporting services"),
    ("98", "98000000-3", "Other community, social and personal services"),
)

# expense category -> (CPV division, VAT rate, service areas it is charged to)
CATEGORIES: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    ("Construction works", "45", 0.21, ("Highways & Transport", "Property & Facilities", "Housing")),
    ("Building repairs & maintenance", "50", 0.21, ("Property & Facilities", "Housing", "Education")),
    ("Vehicle repairs", "50", 0.21, ("Fleet Services",)),
    ("Construction materials", "44", 0.21, ("Highways & Transport", "Property & Facilities")),
    ("Waste collection & disposal", "90", 0.10, ("Environment & Parks",)),
    ("Cleaning services", "90", 0.21, ("Property & Facilities", "Education")),
    ("Parks & grounds maintenance", "77", 0.21, ("Environment & Parks",)),
    ("Plants & trees", "03", 0.10, ("Environment & Parks",)),
    ("Fuel", "09", 0.21, ("Fleet Services",)),
    ("Electricity & gas", "09", 0.21, ("Property & Facilities",)),
    ("Water & sewerage charges", "65", 0.10, ("Property & Facilities",)),
    ("Food supplies", "15", 0.10, ("Education", "Social Care")),
    ("Catering services", "55", 0.10, ("Education", "Social Care", "Culture & Sport")),
    ("Workwear & uniforms", "18", 0.21, ("Public Safety", "Environment & Parks")),
    ("Printing & stationery", "22", 0.21, ("Corporate Services",)),
    ("IT hardware", "30", 0.21, ("Corporate Services", "Education")),
    ("Electrical equipment & lighting", "31", 0.21, ("Highways & Transport",)),
    ("Telecoms equipment", "32", 0.21, ("Corporate Services",)),
    ("Medical & care supplies", "33", 0.10, ("Social Care",)),
    ("Vehicles", "34", 0.21, ("Fleet Services", "Public Safety")),
    ("Play & sports equipment", "37", 0.21, ("Environment & Parks", "Culture & Sport")),
    ("Furniture & furnishings", "39", 0.21, ("Education", "Corporate Services")),
    ("Software licences", "48", 0.21, ("Corporate Services",)),
    ("Transport services", "60", 0.10, ("Education", "Social Care")),
    ("Telephone & data services", "64", 0.21, ("Corporate Services",)),
    ("Insurance", "66", 0.0, ("Corporate Services",)),
    ("Rent & property services", "70", 0.0, ("Property & Facilities",)),
    ("Architecture & engineering", "71", 0.21, ("Highways & Transport", "Property & Facilities", "Planning")),
    ("IT services", "72", 0.21, ("Corporate Services",)),
    ("Research & studies", "73", 0.21, ("Planning",)),
    ("Consultancy & professional fees", "79", 0.21, ("Corporate Services", "Planning")),
    ("Security services", "79", 0.21, ("Property & Facilities", "Public Safety")),
    ("Training", "80", 0.0, ("Corporate Services",)),
    ("Social care services", "85", 0.0, ("Social Care",)),
    ("Cultural & sports services", "92", 0.21, ("Culture & Sport",)),
    ("Community services", "98", 0.0, ("Social Care", "Culture & Sport")),
)

# division -> (share of suppliers by count, spend multiplier, NACE section, name words)
SECTORS: dict[str, tuple[float, float, str, tuple[str, ...]]] = {
    "45": (0.10, 3.0, "F", ("Construcciones", "Obras", "Infraestructuras")),
    "50": (0.08, 1.0, "C", ("Mantenimiento", "Reparaciones", "Talleres")),
    "44": (0.04, 1.0, "G", ("Materiales", "Áridos", "Prefabricados")),
    "90": (0.05, 3.0, "E", ("Limpiezas", "Medio Ambiente", "Reciclajes")),
    "77": (0.04, 1.2, "A", ("Jardines", "Paisajismo", "Viveros")),
    "03": (0.02, 0.4, "A", ("Agraria", "Plantas", "Hortícola")),
    "09": (0.02, 2.5, "D", ("Energía", "Combustibles", "Eléctrica")),
    "65": (0.01, 2.0, "E", ("Aguas", "Servicios Hídricos")),
    "15": (0.04, 0.8, "C", ("Alimentación", "Distribuciones", "Panificadora")),
    "55": (0.04, 1.5, "I", ("Catering", "Restauración", "Cocinas")),
    "18": (0.02, 0.4, "G", ("Textil", "Uniformes", "Confección")),
    "22": (0.03, 0.3, "C", ("Gráficas", "Imprenta", "Artes Gráficas")),
    "30": (0.03, 0.8, "G", ("Informática", "Ofimática", "Equipos")),
    "31": (0.03, 1.0, "G", ("Iluminación", "Electricidad", "Instalaciones")),
    "32": (0.02, 0.6, "G", ("Comunicaciones", "Telecom", "Redes")),
    "33": (0.03, 0.7, "G", ("Suministros Médicos", "Ortopedia", "Farma")),
    "34": (0.02, 1.5, "G", ("Vehículos", "Automoción", "Motor")),
    "37": (0.02, 0.7, "G", ("Parques Infantiles", "Deportes", "Juegos")),
    "39": (0.03, 0.6, "G", ("Mobiliario", "Equipamientos", "Interiores")),
    "48": (0.02, 1.2, "J", ("Software", "Sistemas", "Digital")),
    "60": (0.03, 1.5, "H", ("Transportes", "Autocares", "Movilidad")),
    "64": (0.01, 1.5, "J", ("Telecomunicaciones", "Conectividad")),
    "66": (0.01, 1.5, "K", ("Seguros", "Correduría")),
    "70": (0.02, 0.8, "L", ("Inmobiliaria", "Patrimonio")),
    "71": (0.04, 1.5, "M", ("Ingeniería", "Arquitectura", "Proyectos")),
    "72": (0.04, 1.6, "J", ("Tecnologías", "Sistemas", "Consultoría TIC")),
    "73": (0.01, 0.6, "M", ("Investigación", "Estudios")),
    "79": (0.07, 1.0, "N", ("Consultores", "Asesores", "Seguridad")),
    "80": (0.03, 0.5, "P", ("Formación", "Academia", "Escuela")),
    "85": (0.04, 2.0, "Q", ("Atención Social", "Cuidados", "Asistencia")),
    "92": (0.03, 0.6, "R", ("Cultura", "Eventos", "Animación")),
    "98": (0.02, 0.5, "S", ("Servicios Comunitarios", "Apoyo Vecinal")),
}

HOME_STEMS = (
    "Marsal", "Ortega", "Ribera", "Costa", "Almena", "Vidal", "Serrano", "Lozano", "Navarro", "Pardo",
    "Quintana", "Roldán", "Salvat", "Teixidó", "Ubeda", "Valls", "Zamora", "Bernal", "Cervera", "Duarte",
    "Escudero", "Ferrán", "Galván", "Herrera", "Iranzo", "Jover", "Llorente", "Montalvo", "Nieto", "Olmos",
    "Peralta", "Rubio", "Soler", "Toribio", "Arenas", "Belmonte", "Casals", "Domenech", "Estrada", "Fuster",
    "ACM", "GTS", "IMR", "BLV", "TRC", "SGM", "Aurora", "Boreal", "Cénit", "Delta", "Faro", "Horizonte",
    "Levante", "Mistral", "Poniente", "Tramontana", "Atalaya", "Brisa", "Coral", "Marea",
)
SOCIAL_FORMS = (  # (prefix, social_economy_type)
    ("Cooperativa", "cooperative"), ("Fundación", "foundation"), ("Asociación", "association"),
    ("Inserta", "work_integration_enterprise"), ("Centro Especial de Empleo", "sheltered_employment_centre"),
)
ABROAD = (  # country, legal form, stems, postcode style
    ("DE", "GmbH", ("Brenner", "Hoffmann", "Kessler", "Lindner", "Weidmann"), "de"),
    ("NL", "B.V.", ("Van Dalen", "De Wit", "Hoekstra", "Verbeek", "Jansma"), "nl"),
    ("PT", "Lda.", ("Tavares", "Mourão", "Carvalhal", "Pinheiro", "Sequeira"), "pt"),
    ("IE", "Ltd", ("Kilbride", "Donnelly", "Fennessy", "Brogan", "Carrick"), "ie"),
    ("FR", "SAS", ("Lemaire", "Rousset", "Chabert", "Vautrin", "Delorme"), "fr"),
)
ABROAD_WORDS = {"DE": "Technik", "NL": "Solutions", "PT": "Serviços", "IE": "Systems", "FR": "Services"}
# legal form -> spellings seen in finance exports (first one is the register's)
FORM_VARIANTS = {
    "S.L.": ("S.L.", "SL", "S.L", ", S.L."), "S.A.": ("S.A.", "SA", ", S.A.", "S.A"),
    "GmbH": ("GmbH", "GMBH", "Gmbh"), "B.V.": ("B.V.", "BV", "B.V"),
    "Lda.": ("Lda.", "Lda", "LDA"), "Ltd": ("Ltd", "Limited", "LTD.", "Ltd."),
    "SAS": ("SAS", "S.A.S.", "Sas"), "Coop.": ("Coop.", "S.Coop.", "Cooperativa"),
    "": ("",),
}

# places: postcode prefix -> place (home country); each city's own and its region's prefixes
COUNTRY_PLACES = (
    ("150", "Alderburg"), ("200", "Santa Brígida"), ("220", "Monteverde"), ("250", "Ribagorda"),
    ("320", "Castelmar"), ("350", "Pinar del Sol"), ("380", "Aguasclaras"), ("400", "Ferroval"),
    ("420", "Sierra Norte"), ("500", "Lagoa Nova"), ("520", "Campos Altos"), ("560", "Isla Mayor"),
    ("600", "Vilanova del Mar"), ("650", "Torrenueva"), ("700", "Barrocal"), ("750", "Marisma"),
    ("800", "Solanas"), ("850", "Altamira"), ("900", "Puerto Ocaso"), ("950", "Cabo Lejano"),
)


@dataclass(frozen=True)
class CityConfig:
    """One fictional city: who it is, its dialect, and the shape of its spend (course design)."""

    city: str
    code: str
    name: str
    population: int
    region: str
    city_prefixes: tuple[str, ...]
    region_places: tuple[tuple[str, str], ...]
    n_suppliers: int
    lines_per_year: int
    annual_spend_eur: float
    # spend shares by value per year: (city, rest of region, rest of country, abroad)
    location_shares: dict[int, tuple[float, float, float, float]]
    sme_share: float
    social_share: float
    top10_share: float
    n_tenders: int
    n_contracts: int


CITIES: tuple[CityConfig, ...] = (
    CityConfig("portavera", "PV", "Portavera", 310_000, "Costa Alta", ("460", "461", "462"),
               (("463", "Playa Serena"), ("464", "San Amaro"), ("465", "Puerto Lindo"),
                ("466", "Villa Cerdá"), ("467", "Montealto"), ("468", "Riomar")),
               1800, 55_000, 260e6,
               {2024: (0.24, 0.25, 0.43, 0.08), 2025: (0.26, 0.27, 0.40, 0.07)},
               0.35, 0.05, 0.37, 120, 15),
    CityConfig("valmora", "VM", "Valmora", 45_000, "Valle Sereno", ("280",),
               (("281", "Torreblanca"), ("282", "Campofrío"), ("283", "Las Eras"), ("284", "Olmedal")),
               450, 8_000, 32e6,
               {2024: (0.38, 0.24, 0.33, 0.05), 2025: (0.40, 0.24, 0.31, 0.05)},
               0.48, 0.07, 0.33, 24, 4),
    CityConfig("nordhaven", "NH", "Nordhaven", 900_000, "Nordmark", ("100", "101", "102", "103", "104"),
               (("105", "Vestby"), ("106", "Lindholm"), ("107", "Skarpvik"), ("108", "Havnby"),
                ("109", "Ekeberg")),
               2600, 20_000, 900e6,
               {2024: (0.22, 0.20, 0.49, 0.09), 2025: (0.23, 0.21, 0.47, 0.09)},
               0.24, 0.04, 0.40, 40, 5),
)
CITY_BY_ID = {c.city: c for c in CITIES}
LOCATIONS = ("city", "region", "country", "abroad")
SIZES = ("micro", "small", "medium", "large")


def _rng(*parts: int) -> np.random.Generator:
    """An independent, reproducible random stream for one part of the data."""
    return np.random.default_rng([SEED, *parts])


def _money(x: float) -> str:
    return f"{x:.2f}"


# --------------------------------------------------------------------------- suppliers

def _company_name(rng: np.random.Generator, division: str, location: str, size: str,
                  social_type: str | None, used: set[str]) -> tuple[str, str, str]:
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
        return f"{i + 1:06d}"          # leading zeros: ids must be read as text
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
    rng = _rng(CITIES.index(cfg), 1)
    divisions = list(SECTORS)
    div_p = np.array([SECTORS[d][0] for d in divisions])
    div_p = div_p / div_p.sum()
    loc_p = {"portavera": (0.36, 0.24, 0.33, 0.07), "valmora": (0.45, 0.25, 0.26, 0.04),
             "nordhaven": (0.33, 0.20, 0.38, 0.09)}[cfg.city]
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
        t_lo, t_hi = {"micro": (0.05e6, 2e6), "small": (2e6, 10e6), "medium": (10e6, 50e6),
                      "large": (50e6, 900e6)}[size]
        turnover = float(np.exp(rng.uniform(np.log(t_lo), np.log(t_hi))))
        if individual:
            turnover = float(rng.uniform(20e3, 120e3))
        rows.append({
            "supplier_id": _supplier_id(cfg, i), "name": name,
            "vat_number": "" if individual else _vat_number(rng, country),
            "postcode": postcode, "country": country, "size_class": size,
            "employees": employees, "turnover_eur": round(turnover, -3),
            "social_economy": social_type is not None, "social_economy_type": social_type or "",
            "nace_section": SECTORS[division][2], "cpv_division": division,
            "_location": location, "_form": form, "_individual": individual,
            "_variants": (REDACTED,) if individual else _name_variants(name, form),
        })
    return rows


def _spend_weights(cfg: CityConfig, suppliers: list[dict], year: int) -> np.ndarray:
    """Annual spend per supplier: heavy-tailed, then raked so the city's shares hit their targets."""
    rng = _rng(CITIES.index(cfg), 2)
    n = len(suppliers)
    size_mult = np.array([{"micro": 0.3, "small": 1.0, "medium": 3.0, "large": 10.0}[s["size_class"]]
                          for s in suppliers])
    sector_mult = np.array([SECTORS[s["cpv_division"]][1] for s in suppliers])
    base = rng.lognormal(0.0, 1.5, n) * size_mult * sector_mult
    base[[s["_individual"] for s in suppliers]] *= 0.3
    # the ten biggest are large firms the city depends on, the same in both years
    n_featured = len(FEATURED_SUPPLIERS) if cfg.city == "portavera" else 0
    eligible = np.array([s["size_class"] == "large" and not s["social_economy"] and i >= n_featured
                         for i, s in enumerate(suppliers)])
    top = np.argsort(-np.where(eligible, base, -1.0), kind="stable")[:10]
    yrng = _rng(CITIES.index(cfg), 3, year)
    w = base * yrng.lognormal(0.0, 0.25, n)
    w[yrng.random(n) < 0.08] = 0.0                              # not every supplier is paid every year
    w[top] = np.maximum(w[top], 1e-9)
    for i in range(n_featured):
        w[i] = max(w[i], np.median(base))                       # featured firms appear in both years
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
    for _ in range(60):                                          # iterative proportional fitting
        for k in range(4):
            m = rest & (loc == k)
            w[m] *= loc_target[k] / w[m].sum()
        for mask, target in ((rest & sme, sme_target), (rest & ~sme, 1 - cfg.top10_share - sme_target)):
            w[mask] *= target / w[mask].sum()
        for mask, target in ((rest & social, social_target),
                             (rest & ~social, 1 - cfg.top10_share - social_target)):
            w[mask] *= target / w[mask].sum()
    return w / w.sum() * cfg.annual_spend_eur


# --------------------------------------------------------------------------- ledgers

@dataclass(frozen=True)
class Dialect:
    columns: tuple[str, ...]
    delimiter: str
    encoding: str
    line_end: str
    date_format: str
    decimal: str
    group: str


DIALECTS = {
    "portavera": Dialect(("Payment Date", "Transaction Ref", "Supplier Name", "Supplier No", "VAT Number",
                          "Postcode", "Service Area", "Expense Category", "Net Amount", "VAT Amount",
                          "Gross Amount"), ",", "utf-8", "\r\n", "%d/%m/%Y", ".", ","),
    "valmora": Dialect(("Date", "Document No", "Creditor", "Creditor ID", "Tax ID", "Post Code",
                        "Department", "Account", "Net", "VAT", "Total"), ";", "windows-1252", "\r\n",
                       "%d/%m/%Y", ",", "."),
    "nordhaven": Dialect(("posting_datetime", "document_no", "vendor_name", "vendor_id", "vat_id",
                          "postal_code", "cost_centre", "account_name", "amount_net", "amount_vat",
                          "amount_gross"), "\t", "utf-8-sig", "\n", "%Y-%m-%dT%H:%M:%S", ".", ""),
}
CAT_BY_DIVISION: dict[str, list[int]] = {}
for _i, _c in enumerate(CATEGORIES):
    CAT_BY_DIVISION.setdefault(_c[1], []).append(_i)


def _format_amounts(values: np.ndarray, d: Dialect) -> list[str]:
    if d.group == ",":
        return [f"{v:,.2f}" for v in values]
    if d.group == ".":
        return [f"{v:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") for v in values]
    return [f"{v:.2f}" for v in values]


def make_ledger(cfg: CityConfig, suppliers: list[dict], year: int) -> bytes:
    """One year of payments as the city's finance system exports them (exact bytes)."""
    rng = _rng(CITIES.index(cfg), 4, year)
    spend = _spend_weights(cfg, suppliers, year)
    active = np.flatnonzero(spend > 0)
    n_base = int(cfg.lines_per_year / 1.012)
    p = spend[active] ** 0.5
    counts = 1 + rng.multinomial(n_base - len(active), p / p.sum())
    sup = np.repeat(active, counts)
    raw = rng.lognormal(0.0, 1.0, len(sup))
    net = raw / np.bincount(sup, raw, len(suppliers))[sup] * spend[sup]
    net = np.round(np.maximum(net, 5.0), 2)
    days = np.array([d for d in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
                     if (date(year, 1, 1) + timedelta(d)).weekday() < 5])
    day = rng.choice(days, len(sup))
    # credit notes (~1%): part or all of an earlier invoice reversed a few weeks later
    cn = rng.choice(len(sup), int(0.01 * len(sup)), replace=False)
    cn_frac = np.where(rng.random(len(cn)) < 0.5, 1.0, np.round(rng.uniform(0.1, 0.6, len(cn)), 2))
    sup = np.concatenate([sup, sup[cn]])
    net = np.concatenate([net, -np.round(net[cn] * cn_frac, 2)])
    day = np.concatenate([day, np.minimum(day[cn] + rng.integers(7, 60, len(cn)), days[-1])])
    n = len(sup)
    cat = np.empty(n, dtype=np.int64)
    area = np.empty(n, dtype=object)
    variant = np.empty(n, dtype=object)
    r_cat, r_area, r_var = rng.random(n), rng.random(n), rng.random(n)
    for k in range(n):
        s = suppliers[sup[k]]
        options = CAT_BY_DIVISION[s["cpv_division"]]
        c = options[0] if (len(options) == 1 or r_cat[k] < 0.75) else options[1 + int(r_cat[k] * 1e6) % (len(options) - 1)]
        cat[k] = c
        areas = CATEGORIES[c][3]
        area[k] = areas[int(r_area[k] * len(areas))]
        vs = s["_variants"]
        variant[k] = vs[0] if (len(vs) == 1 or r_var[k] < 0.7) else vs[1 + int(r_var[k] * 1e6) % (len(vs) - 1)]
    abroad = np.array([suppliers[i]["_location"] == "abroad" for i in sup])
    rate = np.array([CATEGORIES[c][2] for c in cat])
    rate[abroad] = 0.0                                              # reverse charge: no VAT invoiced
    vat = np.round(net * rate, 2)
    gross = np.round(net + vat, 2)
    no_postcode = rng.random(n) < 0.05
    order = np.lexsort((rng.random(n), day))
    # exact duplicate lines (~0.2%): the same payment exported twice
    dup = set(rng.choice(n, int(0.002 * n), replace=False).tolist())
    d = DIALECTS[cfg.city]
    start = date(year, 1, 1)
    fmt_net, fmt_vat, fmt_gross = _format_amounts(net, d), _format_amounts(vat, d), _format_amounts(gross, d)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=d.delimiter, lineterminator=d.line_end, quoting=csv.QUOTE_MINIMAL)
    if cfg.city == "valmora":
        out.write(f"Valmora Town Council - payments report{d.line_end}")
        out.write(f"Period: 01/01/{year} - 31/12/{year}{d.line_end}")
    writer.writerow(d.columns)
    rows_written = 0
    half = n // 2
    for seq, k in enumerate(order):
        s = suppliers[sup[k]]
        when = start + timedelta(int(day[k]))
        when_text = (f"{when.isoformat()}T00:00:00" if cfg.city == "nordhaven"
                     else when.strftime(d.date_format))
        ref = f"{cfg.code}{year % 100:02d}-{seq + 1:06d}"
        row = (when_text, ref, variant[k], s["supplier_id"], s["vat_number"],
               "" if no_postcode[k] else s["postcode"], area[k], CATEGORIES[cat[k]][0],
               fmt_net[k], fmt_vat[k], fmt_gross[k])
        writer.writerow(row)
        if k in dup:
            writer.writerow(row)
        rows_written += 1
        if cfg.city == "nordhaven" and rows_written == half:
            writer.writerow(d.columns)                              # a page header repeated mid-file
    if cfg.city == "valmora":
        total_net = net.sum() + sum(net[k] for k in dup)
        total_vat = vat.sum() + sum(vat[k] for k in dup)
        total_gross = gross.sum() + sum(gross[k] for k in dup)
        totals = _format_amounts(np.round(np.array([total_net, total_vat, total_gross]), 2), d)
        writer.writerow(("TOTAL", "", "", "", "", "", "", "", *totals))
    return out.getvalue().encode(d.encoding)


# --------------------------------------------------------------------------- small tables

def _csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    """A small table as UTF-8 CSV with LF endings; booleans as true/false, floats pre-formatted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["true" if v is True else "false" if v is False else v for v in row])
    return out.getvalue().encode("utf-8")


def suppliers_csv(suppliers: list[dict]) -> bytes:
    cols = ["supplier_id", "name", "vat_number", "postcode", "country", "size_class", "employees",
            "turnover_eur", "social_economy", "social_economy_type", "nace_section", "cpv_division"]
    rows = [[s[c] if c != "turnover_eur" else f"{s[c]:.0f}" for c in cols] for s in suppliers]
    return _csv_bytes(cols, rows)


def geography_csv(cfg: CityConfig) -> bytes:
    rows = [[p, cfg.name, "city"] for p in cfg.city_prefixes]
    rows += [[p, place, "region"] for p, place in cfg.region_places]
    others: list[tuple[str, str]] = list(COUNTRY_PLACES)
    for other in CITIES:
        if other is not cfg:
            others += [(p, other.name) for p in other.city_prefixes] + list(other.region_places)
    rows += [[p, place, "country"] for p, place in sorted(others)]
    return _csv_bytes(["postcode_prefix", "place", "level"], rows)


def cpv_divisions_csv() -> bytes:
    return _csv_bytes(["division", "code", "name"], [list(r) for r in CPV_DIVISIONS])


def category_cpv_csv() -> bytes:
    return _csv_bytes(["expense_category", "division"], [[c[0], c[1]] for c in CATEGORIES])


# --------------------------------------------------------------------------- tenders and bids

# (cpv_code, title, main category, typical estimated value EUR)
TENDER_TEMPLATES: tuple[tuple[str, str, str, float], ...] = (
    ("45233141-9", "Road maintenance works", "works", 1_800_000),
    ("45233140-2", "Resurfacing of urban roads", "works", 2_500_000),
    ("45214200-2", "Refurbishment of a primary school", "works", 3_200_000),
    ("45262700-8", "Alterations to a community centre", "works", 650_000),
    ("45453000-7", "Overhaul of a sports hall", "works", 900_000),
    ("45454100-5", "Restoration of the old market hall", "works", 1_400_000),
    ("45316110-9", "Installation of LED street lighting", "works", 1_100_000),
    ("90511000-2", "Refuse collection services", "services", 6_000_000),
    ("90611000-3", "Street-cleaning services", "services", 2_800_000),
    ("90910000-9", "Cleaning of municipal buildings", "services", 1_500_000),
    ("90919200-4", "Office cleaning services", "services", 420_000),
    ("77313000-7", "Parks maintenance services", "services", 1_200_000),
    ("77310000-6", "Planting and maintenance of green areas", "services", 600_000),
    ("50232100-1", "Street-lighting maintenance", "services", 750_000),
    ("50700000-2", "Maintenance of building installations", "services", 880_000),
    ("50112000-3", "Fleet repair and maintenance", "services", 380_000),
    ("71240000-2", "Architectural and engineering design services", "services", 310_000),
    ("71300000-1", "Engineering services for flood defences", "services", 260_000),
    ("72212000-4", "Development of a citizen services app", "services", 350_000),
    ("72267000-4", "Software maintenance and support", "services", 240_000),
    ("72222300-0", "IT support services", "services", 520_000),
    ("48000000-8", "Financial management software", "goods", 450_000),
    ("30213100-6", "Laptops for schools", "goods", 280_000),
    ("32420000-3", "Network equipment", "goods", 190_000),
    ("34144900-7", "Electric vehicles for the municipal fleet", "goods", 720_000),
    ("34928500-3", "Street-lighting equipment", "goods", 330_000),
    ("39130000-2", "Office furniture", "goods", 160_000),
    ("09310000-5", "Supply of electricity", "goods", 4_500_000),
    ("09134200-9", "Supply of diesel fuel", "goods", 850_000),
    ("15800000-6", "Food products for care homes", "goods", 300_000),
    ("66510000-8", "Insurance services", "services", 900_000),
    ("79212000-3", "Auditing services", "services", 120_000),
    ("79341000-6", "Advertising and campaign services", "services", 180_000),
    ("79710000-4", "Security services for public buildings", "services", 1_300_000),
    ("79952000-2", "Event services for the summer festival", "services", 210_000),
    ("79530000-8", "Translation services", "services", 90_000),
    ("80500000-9", "Training services for staff", "services", 140_000),
    ("85312000-9", "Home-care social work services", "services", 2_400_000),
    ("85320000-8", "Social services for older residents", "services", 1_700_000),
    ("60112000-6", "Public road transport services", "services", 3_800_000),
    ("60130000-8", "School transport services", "services", 950_000),
    ("64210000-1", "Telephone and data transmission services", "services", 600_000),
    ("92610000-0", "Operation of sports facilities", "services", 1_100_000),
    ("73000000-2", "Research on local energy transition", "services", 230_000),
    ("37535200-9", "Playground equipment for neighbourhood parks", "goods", 380_000),
    ("55523100-3", "School-meal services", "services", 2_000_000),
)
FEATURED_TENDERS = {  # id -> (cpv code, title, main category, estimated value)
    "PV-T-2025-017": ("37535200-9", "Playground equipment supply and maintenance", "goods", 1_200_000),
    "PV-T-2024-009": ("55523100-3", "School meals for municipal schools", "services", 3_600_000),
}
# featured bids: (supplier index in FEATURED_SUPPLIERS, price, marks per criterion)
FEATURED_BIDS = {
    "PV-T-2025-017": (40, (("play value", 20), ("safety and inclusive design", 15),
                           ("maintenance plan", 15), ("social value", 10)),
                      ((0, 1_085_000, (4, 4, 5, 4)), (1, 965_000, (3, 4, 3, 2)),
                       (2, 1_180_000, (4, 5, 4, 5)), (3, 1_020_000, (4, 3, 3, 3)),
                       (4, 1_190_000, (3, 3, 4, 3)))),
    "PV-T-2024-009": (35, (("nutrition and menu quality", 25), ("local and organic sourcing", 20),
                           ("service delivery plan", 10), ("social value", 10)),
                      ((5, 3_420_000, (4, 5, 3, 5)), (6, 3_150_000, (3, 2, 4, 2)),
                       (7, 3_380_000, (4, 4, 4, 3)))),
}
PROCEDURES = ("open", "restricted", "competitive_negotiation", "competitive_dialogue",
              "innovation_partnership", "negotiated_without_publication")


def _bid_score(price: float, lowest: float, quality_pct: float, price_weight: float) -> float:
    """Total points with the relative-to-lowest price formula (brief §4.2, formula 1)."""
    return price_weight * lowest / price + (100 - price_weight) * quality_pct / 100


def make_tenders(suppliers_by_city: dict[str, list[dict]]) -> tuple[list[dict], list[dict], list[dict]]:
    """Tenders 2023–2026 for every city, their bids, and the per-criterion marks of the featured ones."""
    tenders: list[dict] = []
    bids: list[dict] = []
    marks: list[dict] = []
    for ci, cfg in enumerate(CITIES):
        rng = _rng(ci, 10)
        sups = suppliers_by_city[cfg.city]
        scale = {"portavera": 1.0, "valmora": 0.25, "nordhaven": 2.5}[cfg.city]
        span = (date(2026, 9, 30) - date(2023, 1, 9)).days
        pub = sorted(date(2023, 1, 9) + timedelta(int(x)) for x in rng.integers(0, span, cfg.n_tenders))
        n = len(pub)
        proc = rng.choice(len(PROCEDURES), n, p=(0.66, 0.12, 0.08, 0.03, 0.02, 0.09))
        open_idx = np.flatnonzero(proc == 0)
        short = set(rng.choice(open_idx, max(1, round(0.06 * len(open_idx))), replace=False).tolist())
        esub = set(rng.choice(open_idx, round(0.18 * len(open_idx)), replace=False).tolist()) - short
        templates = rng.integers(0, len(TENDER_TEMPLATES) - 2, n)
        seq: dict[int, int] = {}
        city_rows = []
        for k in range(n):
            y = pub[k].year
            seq[y] = seq.get(y, 0) + 1
            tid = f"{cfg.code}-T-{y}-{seq[y]:03d}"
            cpv, title, category, value = TENDER_TEMPLATES[int(templates[k])]
            est = round(value * scale * float(rng.lognormal(0, 0.35)), -3)
            procedure = PROCEDURES[int(proc[k])]
            if procedure == "open":
                period = (int(rng.integers(8, 15)) if k in short else int(rng.integers(30, 35)) if k in esub
                          else int(rng.integers(35, 61)))
            elif procedure == "restricted":
                period = int(rng.integers(60, 76))
            elif procedure == "negotiated_without_publication":
                period = int(rng.integers(10, 21))
            else:
                period = int(rng.integers(40, 71))
            price_only = category == "goods" and rng.random() < 0.5 or rng.random() < 0.1
            lots = 1 if rng.random() < 0.85 or est < 300_000 else int(rng.integers(2, 5))
            city_rows.append({
                "tender_id": tid, "city": cfg.city, "title": title, "cpv_code": cpv, "procedure": procedure,
                "main_category": category, "estimated_value_eur": est,
                "publication_date": pub[k], "submission_deadline": pub[k] + timedelta(period),
                "award_date": None, "award_criteria": "priceOnly" if price_only else "ratedCriteria",
                "price_weight": 100 if price_only else int(rng.choice([30, 35, 40, 50, 60])),
                "lots": lots, "number_of_tenderers": None, "status": "complete",
            })
        for tid, (cpv, title, category, est) in FEATURED_TENDERS.items():
            for t in city_rows:
                if t["tender_id"] == tid:
                    t.update(cpv_code=cpv, title=title, main_category=category, estimated_value_eur=est,
                             procedure="open", award_criteria="ratedCriteria", lots=1,
                             price_weight=FEATURED_BIDS[tid][0],
                             submission_deadline=t["publication_date"] + timedelta(42))
        # statuses, then exactly ~20% single-bid among competed open/restricted tenders
        for t in city_rows:
            wait = 25 if t["tender_id"] in FEATURED_TENDERS else int(rng.integers(25, 80))
            t["award_date"] = t["submission_deadline"] + timedelta(wait)
            if t["award_date"] > AS_OF:
                t["status"], t["award_date"] = "active", None
            elif t["tender_id"] not in FEATURED_TENDERS and rng.random() < 0.04:
                t["status"], t["award_date"] = "cancelled", None
        competed = [i for i, t in enumerate(city_rows) if t["status"] == "complete"
                    and t["procedure"] in ("open", "restricted") and t["tender_id"] not in FEATURED_TENDERS]
        single = set(rng.choice(competed, round(0.2 * len(competed)), replace=False).tolist())
        discounted = set(rng.choice(sorted(set(competed) - single), max(1, round(0.05 * len(competed))),
                                    replace=False).tolist())
        for i, t in enumerate(city_rows):
            if t["status"] != "complete":
                continue
            if t["tender_id"] in FEATURED_BIDS:
                pw, criteria, entries = FEATURED_BIDS[t["tender_id"]]
                results = []
                for sup_i, price, mk in entries:
                    quality = round(sum(w * m / 5 for (_, w), m in zip(criteria, mk)) / (100 - pw) * 100, 2)
                    results.append((sups[sup_i], float(price), quality))
                    for (crit, w), m in zip(criteria, mk):
                        marks.append({"tender_id": t["tender_id"], "bidder_name": sups[sup_i]["name"],
                                      "criterion": crit, "weight": w, "mark": m})
                bids += _award(t, 1, results, set())
                t["number_of_tenderers"] = len(entries)
                continue
            division = t["cpv_code"][:2]
            pool = [j for j, s in enumerate(sups) if s["cpv_division"] == division and not s["_individual"]]
            if len(pool) < 6:
                pool += [j for j, s in enumerate(sups) if s["size_class"] in ("medium", "large")][:30]
            if t["procedure"] == "negotiated_without_publication" or i in single:
                n_bid = 1
            else:
                n_bid = int(min(2 + rng.poisson(2.2), 9))
            bidders_all: set[str] = set()
            for lot in range(1, t["lots"] + 1):
                chosen = rng.choice(len(pool), min(n_bid, len(pool)), replace=False)
                lot_value = t["estimated_value_eur"] / t["lots"]
                results = []
                for j in chosen:
                    s = sups[pool[int(j)]]
                    price = round(lot_value * float(rng.lognormal(-0.05, 0.10)), -2)
                    quality = None if t["award_criteria"] == "priceOnly" else round(float(rng.uniform(50, 95)), 1)
                    results.append((s, price, quality))
                if i in discounted and len(results) >= 2:
                    results.sort(key=lambda r: r[1])
                    s0, _, q0 = results[0]
                    results[0] = (s0, round(results[1][1] * float(rng.uniform(0.58, 0.66)), -2), q0)
                disq = set()
                if len(results) >= 3 and rng.random() < 0.25:
                    disq.add(int(rng.integers(1, len(results))))
                bids += _award(t, lot, results, disq)
                bidders_all |= {r[0]["supplier_id"] for r in results}
            t["number_of_tenderers"] = len(bidders_all)
        tenders += city_rows
    return tenders, bids, marks


def _award(t: dict, lot: int, results: list, disqualified: set[int]) -> list[dict]:
    """Bid rows for one lot, the best valid score marked as winner (formula 1 of brief §4.2)."""
    valid = [i for i in range(len(results)) if i not in disqualified]
    lowest = min(results[i][1] for i in valid)
    pw = t["price_weight"]
    score = {i: _bid_score(results[i][1], lowest, results[i][2] or 0.0, pw) for i in valid}
    best = max(valid, key=lambda i: (score[i], -results[i][1]))
    return [{"tender_id": t["tender_id"], "lot": lot, "bidder_id": s["supplier_id"], "bidder_name": s["name"],
             "price_eur": price, "quality_pct": quality,
             "status": "disqualified" if i in disqualified else "valid", "winner": i == best}
            for i, (s, price, quality) in enumerate(results)]


# --------------------------------------------------------------------------- contracts, KPIs, social value

PEOPLE = ("Elena Marsal", "Tomás Ribeiro", "Lucía Ferrán", "Jordi Almena", "Marta Quintana", "Iker Soler",
          "Ana Belmonte", "Pau Casals", "Sofía Herrera", "David Olmos", "Clara Vidal", "Rubén Nieto")
KPI_TEMPLATES = {  # main category -> (name, unit, target, direction, tolerance_pct)
    "works": (("Milestones completed on schedule", "%", 90.0, "higher", 10.0),
              ("Defects fixed within 10 working days", "%", 95.0, "higher", 5.0),
              ("Reportable safety incidents per month", "count", 1.0, "lower", 100.0),
              ("Residents' complaints per month", "count", 5.0, "lower", 40.0)),
    "services": (("Service visits completed as scheduled", "%", 98.0, "higher", 3.0),
                 ("Invoice queries resolved within 24 hours", "%", 95.0, "higher", 5.0),
                 ("Emergency response time", "hours", 4.0, "lower", 25.0),
                 ("User satisfaction score", "score 1-5", 4.0, "higher", 10.0)),
    "goods": (("Orders delivered complete and on time", "%", 97.0, "higher", 5.0),
              ("Items returned as faulty", "%", 2.0, "lower", 50.0),
              ("Invoice queries resolved within 24 hours", "%", 95.0, "higher", 5.0)),
}
FEATURED_KPIS = {
    "PV-C-2025-017": (("Repair response time", "hours", 48.0, "lower", 25.0),
                      ("Safety inspections completed on schedule", "%", 98.0, "higher", 5.0),
                      ("Equipment available for use", "%", 97.0, "higher", 3.0),
                      ("Complaints resolved within 10 working days", "%", 90.0, "higher", 10.0)),
    "PV-C-2024-009": (("Meals served on time", "%", 98.0, "higher", 3.0),
                      ("Menus meeting the nutrition standard", "%", 100.0, "higher", 5.0),
                      ("Locally sourced food by value", "%", 30.0, "higher", 15.0),
                      ("Pupil satisfaction score", "score 1-5", 4.0, "higher", 10.0),
                      ("Complaints per 10,000 meals", "count", 5.0, "lower", 20.0)),
}
FEATURED_TERMS = {"PV-C-2025-017": 48, "PV-C-2024-009": 36}   # months
SV_MEASURES = (("local_hires", "people"), ("apprenticeships", "people"),
               ("local_subcontract_spend_eur", "EUR"), ("training_hours", "hours"),
               ("co2_tonnes_saved", "tCO2e"))


def _months(start: date, last: str) -> list[str]:
    y, m = start.year, start.month
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _kpi_value(rng: np.random.Generator, target: float, direction: str, tol: float, status: str,
               unit: str) -> float:
    band = target * tol / 100
    cap = 100.0 if unit == "%" else 5.0 if unit.startswith("score") else None
    sign = 1 if direction == "higher" else -1
    if status == "green":
        room = (cap - target) if (cap is not None and direction == "higher") else target * 0.3
        v = target + sign * float(rng.uniform(0.0, 1.0)) * room
    elif status == "amber":
        v = target - sign * band * float(rng.uniform(0.15, 0.85))
    else:
        v = target - sign * (band + max(band, target * 0.05) * float(rng.uniform(0.2, 1.5)))
    v = round(max(v, 0.0), 0 if unit == "count" else 2)
    if status == "green" and rag_status(v, target, direction, tol) != "green":
        v = target                                               # rounding crossed the target
    return float(v)


def make_contracts(tenders: list[dict], bids: list[dict], suppliers_by_city: dict[str, list[dict]]):
    """Contracts from awarded tenders, their KPIs, monthly returns and social-value tables."""
    contracts, kpis, returns, sv_commit, sv_deliv = [], [], [], [], []
    winners = {(b["tender_id"]): b for b in bids if b["winner"] and b["lot"] == 1}
    for ci, cfg in enumerate(CITIES):
        rng = _rng(ci, 20)
        sups = {s["supplier_id"]: s for s in suppliers_by_city[cfg.city]}
        eligible = [t for t in tenders if t["city"] == cfg.city and t["status"] == "complete"
                    and t["tender_id"] in winners and t["tender_id"] not in FEATURED_TENDERS
                    and date(2023, 3, 1) <= t["award_date"] <= date(2025, 12, 31)]
        n_pick = cfg.n_contracts - (2 if cfg.city == "portavera" else 0)
        pick = sorted(rng.choice(len(eligible), n_pick, replace=False).tolist())
        chosen = [eligible[i] for i in pick]
        if cfg.city == "portavera":
            chosen += [t for t in tenders if t["tender_id"] in FEATURED_TENDERS]
        chosen.sort(key=lambda t: t["tender_id"])
        for k, t in enumerate(chosen):
            win = winners[t["tender_id"]]
            cid = t["tender_id"].replace("-T-", "-C-")
            # work starts on the first of a month after the award and a 10-day standstill
            start = _add_months(t["award_date"] + timedelta(10), 1 + int(rng.integers(0, 2)))
            term = int(rng.choice([24, 36, 48]))
            if cid in FEATURED_TERMS:
                start = _add_months(t["award_date"] + timedelta(10), 1)
                term = FEATURED_TERMS[cid]
            end = _add_months(start, term) - timedelta(1)
            if k == 0:   # one contract ends within six months of the data extract: a renewal decision
                end = date(2027, 3, 31)
                term = (end.year - start.year) * 12 + end.month - start.month + 1
            value = float(win["price_eur"])            # the contract for lot 1
            monthly = round(value / term, 2)
            service_area = {"37": "Environment & Parks", "55": "Education"}.get(
                t["cpv_code"][:2], next((c[3][0] for c in CATEGORIES if c[1] == t["cpv_code"][:2]),
                                        "Corporate Services"))
            contracts.append({
                "contract_id": cid, "tender_id": t["tender_id"], "city": cfg.city, "title": t["title"],
                "supplier_id": win["bidder_id"], "supplier_name": sups[win["bidder_id"]]["name"],
                "service_area": service_area, "cpv_code": t["cpv_code"], "value_eur": value,
                "monthly_charge_eur": monthly, "start_date": start, "end_date": end,
                "contract_owner": PEOPLE[int(rng.integers(len(PEOPLE)))],
                "contract_manager": PEOPLE[int(rng.integers(len(PEOPLE)))],
                "service_credit_pct": 3.0 if cid == "PV-C-2025-017" else float(rng.choice([2.0, 2.5, 3.0, 4.0, 5.0])),
                "service_credit_cap_pct": 12.0 if cid == "PV-C-2025-017" else float(rng.choice([10.0, 12.0, 15.0])),
            })
            templates = FEATURED_KPIS.get(cid) or KPI_TEMPLATES[t["main_category"]][: int(rng.integers(3, 5))]
            periods = [p for p in _months(start, LAST_KPI_PERIOD) if p <= f"{end:%Y-%m}"]
            red_rate = float(rng.uniform(0.03, 0.12))
            missing_months = set(rng.choice(len(periods), min(len(periods), int(rng.integers(0, 3))),
                                            replace=False).tolist()) if cid != "PV-C-2025-017" else set()
            for j, (name, unit, target, direction, tol) in enumerate(templates):
                kid = f"K{j + 1}"
                kpis.append({"contract_id": cid, "kpi_id": kid, "name": name, "unit": unit, "target": target,
                             "direction": direction, "tolerance_pct": tol})
                for pi, period in enumerate(periods):
                    if pi in missing_months or (rng.random() < 0.03 and period != "2026-03"):
                        continue
                    draw = rng.random()
                    status = "red" if draw < red_rate else "amber" if draw < red_rate + 0.14 else "green"
                    if cid == "PV-C-2025-017" and period == "2026-03":
                        status = "red" if j == 0 else "green"
                    reported = _kpi_value(rng, target, direction, tol, status, unit)
                    if cid == "PV-C-2025-017" and period == "2026-03" and j == 0:
                        reported = 72.0      # the worked example: one red KPI in March 2026
                    returns.append({"contract_id": cid, "kpi_id": kid, "period": period, "value": reported})
            pace = float(rng.uniform(0.55, 0.8)) if rng.random() < 0.35 else float(rng.uniform(0.9, 1.2))
            measures = SV_MEASURES if cid in FEATURED_KPIS else [
                SV_MEASURES[i] for i in sorted(rng.choice(5, int(rng.integers(3, 6)), replace=False).tolist())]
            for m, (measure, unit) in enumerate(measures):
                per_year = {"local_hires": max(1, round(value / 400_000)), "apprenticeships": max(1, round(value / 900_000)),
                            "local_subcontract_spend_eur": round(value * 0.12 / (term / 12), -2),
                            "training_hours": max(20, round(value / 5_000, -1)),
                            "co2_tonnes_saved": round(max(2.0, value / 60_000), 1)}[measure]
                committed = per_year * term / 12
                committed = (round(committed) if unit in ("people", "hours")
                             else round(committed, -2) if unit == "EUR" else round(committed, 1))
                committed = max(committed, 1)
                sv_commit.append({"contract_id": cid, "measure": measure, "unit": unit, "committed_total": committed})
                m_pace = 0.6 if (cid == "PV-C-2025-017" and measure == "local_subcontract_spend_eur") else pace
                carry = 0.0
                for period in periods:
                    expected = committed / term * m_pace * float(rng.uniform(0.6, 1.4))
                    if unit == "people":
                        carry += expected
                        delivered = float(int(carry))
                        carry -= delivered
                    elif unit == "hours":
                        delivered = float(round(expected))
                    else:
                        delivered = round(expected, 2)
                    sv_deliv.append({"contract_id": cid, "period": period, "measure": measure, "delivered": delivered})
    return contracts, kpis, returns, sv_commit, sv_deliv


# --------------------------------------------------------------------------- package and files

def _fmt(value) -> object:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def _table(rows: list[dict], columns: list[str]) -> bytes:
    return _csv_bytes(columns, [[_fmt(r[c]) for c in columns] for r in rows])


def _field(name: str, type_: str, description: str, unit: str | None = None, **extra) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if unit:
        field["unit"] = unit
    field.update(extra)
    return field


def _schemas() -> dict[str, list[dict]]:
    """Frictionless Table Schema fields of every table kind (names, types, units, meaning)."""
    s, n, i, d, b = "string", "number", "integer", "date", "boolean"
    return {
        "suppliers": [
            _field("supplier_id", s, "Supplier number in the city's finance system (text: keep leading zeros)"),
            _field("name", s, "Registered name"), _field("vat_number", s, "VAT number, with country prefix; blank for individuals"),
            _field("postcode", s, "Postcode of the supplier's address (home: 5 digits)"),
            _field("country", s, "ISO-style country code; XM is the fictional home country"),
            _field("size_class", s, "EU SME class", constraints={"enum": list(SIZES)}),
            _field("employees", i, "Staff headcount", "people"), _field("turnover_eur", n, "Annual turnover", "EUR"),
            _field("social_economy", b, "Social-economy organisation"),
            _field("social_economy_type", s, "Kind of social-economy organisation, blank if none"),
            _field("nace_section", s, "NACE Rev. 2 section letter of the main activity"),
            _field("cpv_division", s, "Two-digit CPV division of the main activity")],
        "geography": [
            _field("postcode_prefix", s, "First three digits of a home-country postcode"),
            _field("place", s, "Place name"),
            _field("level", s, "Where the place lies seen from this city", constraints={"enum": ["city", "region", "country"]})],
        "cpv_divisions": [
            _field("division", s, "Two-digit CPV division"), _field("code", s, "CPV code with check digit"),
            _field("name", s, "CPV 2008 English label")],
        "category_cpv": [
            _field("expense_category", s, "Expense category as in the ledgers"),
            _field("division", s, "Two-digit CPV division the category belongs to")],
        "tenders": [
            _field("tender_id", s, "Tender id: CITY-T-YEAR-SEQ"), _field("city", s, "City id"),
            _field("title", s, "Title"), _field("cpv_code", s, "Main CPV code with check digit"),
            _field("procedure", s, "Procedure", constraints={"enum": list(PROCEDURES)}),
            _field("main_category", s, "works, goods or services"),
            _field("estimated_value_eur", n, "Estimated value, net of VAT", "EUR"),
            _field("publication_date", d, "Contract notice published"),
            _field("submission_deadline", d, "Deadline for tenders"),
            _field("award_date", d, "Award decision; blank if not awarded"),
            _field("award_criteria", s, "OCDS awardCriteria code", constraints={"enum": ["priceOnly", "ratedCriteria"]}),
            _field("price_weight", i, "Points for price out of 100", "points"),
            _field("lots", i, "Number of lots"),
            _field("number_of_tenderers", i, "Distinct bidders over all lots; blank if none yet"),
            _field("status", s, "OCDS-style tender status", constraints={"enum": ["active", "complete", "cancelled"]})],
        "bids": [
            _field("tender_id", s, "Tender id"), _field("lot", i, "Lot number"),
            _field("bidder_id", s, "Supplier id in the city's register"), _field("bidder_name", s, "Bidder name"),
            _field("price_eur", n, "Bid price for the lot, net of VAT", "EUR"),
            _field("quality_pct", n, "Quality score as % of the quality points; blank for price-only awards", "%"),
            _field("status", s, "valid or disqualified"),
            _field("winner", b, "Awarded (best score, relative-to-lowest price formula)")],
        "bid_marks": [
            _field("tender_id", s, "Tender id"), _field("bidder_name", s, "Bidder name"),
            _field("criterion", s, "Quality criterion"), _field("weight", i, "Points for the criterion", "points"),
            _field("mark", i, "Evaluators' mark on a 0-5 scale", "marks")],
        "contracts": [
            _field("contract_id", s, "Contract id: CITY-C-YEAR-SEQ"), _field("tender_id", s, "Tender it came from"),
            _field("city", s, "City id"), _field("title", s, "Title"),
            _field("supplier_id", s, "Supplier id in the city's register"), _field("supplier_name", s, "Supplier"),
            _field("service_area", s, "Service area that manages it"), _field("cpv_code", s, "Main CPV code"),
            _field("value_eur", n, "Total contract value, net of VAT", "EUR"),
            _field("monthly_charge_eur", n, "Periodic (monthly) charge", "EUR"),
            _field("start_date", d, "Start"), _field("end_date", d, "End"),
            _field("contract_owner", s, "Accountable for overall delivery"),
            _field("contract_manager", s, "Manages the supplier day to day"),
            _field("service_credit_pct", n, "Deduction from the monthly charge per red KPI", "%"),
            _field("service_credit_cap_pct", n, "Cap on service credits in a month", "%")],
        "kpis": [
            _field("contract_id", s, "Contract id"), _field("kpi_id", s, "KPI id within the contract"),
            _field("name", s, "KPI"), _field("unit", s, "Unit of the value"),
            _field("target", n, "Target value"),
            _field("direction", s, "higher or lower is better", constraints={"enum": ["higher", "lower"]}),
            _field("tolerance_pct", n, "Amber band as % of target beyond the target (worse side); red beyond it", "%")],
        "kpi_returns": [
            _field("contract_id", s, "Contract id"), _field("kpi_id", s, "KPI id"),
            _field("period", "yearmonth", "Month reported (YYYY-MM); some months are missing on purpose"),
            _field("value", n, "Reported value, in the KPI's unit")],
        "social_value_commitments": [
            _field("contract_id", s, "Contract id"), _field("measure", s, "Social-value measure"),
            _field("unit", s, "Unit"), _field("committed_total", n, "Committed over the whole contract term")],
        "social_value_delivery": [
            _field("contract_id", s, "Contract id"), _field("period", "yearmonth", "Month (YYYY-MM)"),
            _field("measure", s, "Social-value measure"), _field("delivered", n, "Delivered in the month")],
    }


def _ledger_fields(city: str) -> list[dict]:
    d = DIALECTS[city]
    meaning = ("Payment date", "Transaction reference", "Supplier name as keyed (variants, redactions)",
               "Supplier number (text)", "VAT number", "Supplier postcode (some missing)", "Service area",
               "Expense category", "Net amount (credit notes negative)", "VAT amount", "Gross amount")
    fields = []
    for k, (col, desc) in enumerate(zip(d.columns, meaning)):
        if k == 0:
            fields.append(_field(col, "datetime" if city == "nordhaven" else "date", desc,
                                 format=d.date_format))
        elif k >= 8:
            extra = {"decimalChar": d.decimal}
            if d.group:
                extra["groupChar"] = d.group
            fields.append(_field(col, "number", desc, "EUR", **extra))
        else:
            fields.append(_field(col, "string", desc))
    return fields


def _ledger_dialect(city: str) -> dict:
    d = DIALECTS[city]
    dialect = {"delimiter": d.delimiter, "lineTerminator": d.line_end, "quoteChar": '"', "doubleQuote": True,
               "header": True}
    if city == "valmora":
        dialect.update(headerRows=[3], commentRows=[1, 2], note="the last row is a TOTAL row, not a payment")
    if city == "nordhaven":
        dialect["note"] = "the header row is repeated once in the middle of the file"
    return dialect


def generate_all(out_dir: Path, progress: bool = False) -> dict:
    """Write every dataset file and `datapackage.json` into `out_dir`; return the package dict."""
    out_dir = Path(out_dir)
    files: list[tuple[str, str, bytes, str | None]] = []   # (resource name, kind, bytes, city)
    sup_by_city = {cfg.city: make_suppliers(cfg) for cfg in CITIES}
    for cfg in CITIES:
        files.append((f"{cfg.city}/suppliers.csv", "suppliers", suppliers_csv(sup_by_city[cfg.city]), cfg.city))
        files.append((f"{cfg.city}/geography.csv", "geography", geography_csv(cfg), cfg.city))
        for year in YEARS:
            if progress:
                print(f"  {cfg.name} {year} ledger…", end="\r", flush=True)
            files.append((f"{cfg.city}/ledger_{year}.csv", f"ledger_{year}",
                          make_ledger(cfg, sup_by_city[cfg.city], year), cfg.city))
    tenders, bids, marks = make_tenders(sup_by_city)
    contracts, kpis, returns, sv_c, sv_d = make_contracts(tenders, bids, sup_by_city)
    schemas = _schemas()
    files.append(("shared/cpv_divisions.csv", "cpv_divisions", cpv_divisions_csv(), None))
    files.append(("shared/category_cpv.csv", "category_cpv", category_cpv_csv(), None))
    for kind, rows in (("tenders", tenders), ("bids", bids), ("bid_marks", marks), ("contracts", contracts),
                       ("kpis", kpis), ("kpi_returns", returns), ("social_value_commitments", sv_c),
                       ("social_value_delivery", sv_d)):
        files.append((f"shared/{kind}.csv", kind, _table(rows, [f["name"] for f in schemas[kind]]), None))
    resources = []
    for path, kind, data, city in files:
        (out_dir / path).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / path).write_bytes(data)
        is_ledger = kind.startswith("ledger_")
        name = f"{city}-{kind.replace('_', '-')}" if city else kind.replace("_", "-")
        res = {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
               "mediatype": "text/csv",
               "encoding": DIALECTS[city].encoding if is_ledger else "utf-8",
               "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
               "dialect": _ledger_dialect(city) if is_ledger else
               {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True},
               "schema": {"fields": _ledger_fields(city) if is_ledger else schemas[kind]},
               "table": kind, "city": city, "committed": not is_ledger}
        if is_ledger:
            res["description"] = (f"{CITY_BY_ID[city].name} payments {kind[-4:]} as exported by its finance system; "
                                  "git-ignored, regenerated by `python -m helpers generate-data`")
        resources.append(res)
    if progress:
        print(" " * 40, end="\r", flush=True)
    package = {
        "profile": "tabular-data-package", "name": "strategic-procurement-workbook-data",
        "title": "Strategic Procurement Workbook: synthetic city procurement data",
        "description": ("Synthetic data for three fictional cities (Portavera, Valmora, Nordhaven): supplier "
                        "registers, geography, payment ledgers 2024-2025, tenders, bids, contracts, KPIs and "
                        "social value. Every name, person, place and figure is invented; CPV codes are real. "
                        "Money in EUR, net of VAT unless a column says otherwise."),
        "synthetic": True, "as_of": AS_OF.isoformat(), "seed": SEED,
        "licenses": [{"name": "CC0-1.0", "title": "Creative Commons Zero v1.0 Universal",
                      "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
        "cities": [{"city": c.city, "id_prefix": c.code, "name": c.name, "population": c.population, "region": c.region,
                    "home_country": HOME_COUNTRY_NAME, "home_country_code": HOME_COUNTRY,
                    "city_postcode_prefixes": list(c.city_prefixes),
                    "region_postcode_prefixes": [p for p, _ in c.region_places],
                    "postcode_rule": "home postcodes have 5 digits; the first 3 give the place (geography.csv)"}
                   for c in CITIES],
        "resources": resources,
    }
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    (out_dir / "datapackage.json").write_bytes(text.encode("utf-8"))
    return package


def check(datasets: Path) -> list[str]:
    """Problems found when regenerating and comparing with `datapackage.json` (empty list = all good)."""
    manifest = datasets / "datapackage.json"
    if not manifest.is_file():
        return [f"{manifest} is missing"]
    recorded = {r["path"]: r["hash"] for r in json.loads(manifest.read_text("utf-8"))["resources"]}
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {r["path"]: r["hash"] for r in generate_all(Path(tmp))["resources"]}
    for path in sorted(set(recorded) | set(fresh)):
        if recorded.get(path) != fresh.get(path):
            problems.append(f"{path}: the generator's output no longer matches the hash in datapackage.json")
        on_disk = datasets / path
        if on_disk.is_file() and path in recorded:
            if "sha256:" + hashlib.sha256(on_disk.read_bytes()).hexdigest() != recorded[path]:
                problems.append(f"{path}: the file on disk differs from datapackage.json (edited or corrupted)")
    return problems


def _run(args: argparse.Namespace) -> int:
    from helpers.core.paths import repo_root

    out = Path(args.out) if args.out else repo_root() / "datasets"
    if args.check:
        problems = check(out)
        if problems:
            raise LearnerError("the data check found problems: " + "; ".join(problems),
                               fix="Run `python -m helpers generate-data` to rebuild the data")
        print(f"ok: every file in {out} matches datapackage.json")
        return 0
    if args.if_missing:
        from helpers.data import ensure_ledgers

        made = ensure_ledgers()
        print(f"course data ready ({made} ledger files generated)" if made else "course data ready")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    package = generate_all(out, progress=sys.stdout.isatty())
    print(f"wrote {len(package['resources'])} files and datapackage.json to {out}")
    return 0


def register(subparsers) -> None:
    """Add `generate-data [--out DIR] [--check]` to `python -m helpers`."""
    p = subparsers.add_parser("generate-data", help="(re)generate the synthetic course data",
                              description="Generate the deterministic synthetic datasets, or check them.")
    p.add_argument("--out", metavar="DIR", help="folder to write to (default: the repository's datasets/)")
    p.add_argument("--check", action="store_true",
                   help="regenerate into a temporary folder and compare hashes with datapackage.json")
    p.add_argument("--if-missing", action="store_true",
                   help="only generate the git-ignored ledgers that are missing (used by make and Binder)")
    p.set_defaults(func=_run)
