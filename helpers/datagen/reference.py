"""The generator's fixed inputs: the seed, the dates, and the reference lists every table draws on.

CPV divisions (real codes, verified in the real-data tests), the expense categories
the ledgers use, sectors, invented name stems, places and legal-form spellings.
All names and places are invented (course design). The cities themselves are
described in `helpers.data.design`.
"""

from __future__ import annotations

from datetime import date

import numpy as np

SEED = 20_250_917
YEARS = (2024, 2025)
AS_OF = date(2026, 11, 30)  # the "today" of the course's data extract
LAST_KPI_PERIOD = "2026-10"  # monthly returns are in up to this month
HOME_COUNTRY = "XM"  # user-assigned ISO code for the fictional country
HOME_COUNTRY_NAME = "Meridia (fictional)"
REDACTED = "REDACTED - PERSONAL DATA"


# CPV 2008 divisions (code with check digit) used by the course; division 37 is added
# for the running purchase (playground equipment, 37535200-9).
CPV_DIVISIONS: tuple[tuple[str, str, str], ...] = (
    ("03", "03000000-1", "Agricultural, farming, fishing, forestry and related products"),
    ("09", "09000000-3", "Petroleum products, fuel, electricity and other sources of energy"),
    ("15", "15000000-8", "Food, beverages, tobacco and related products"),
    ("18", "18000000-9", "Clothing, footwear, luggage articles and accessories"),
    ("22", "22000000-0", "Printed matter and related products"),
    (
        "30",
        "30000000-9",
        "Office and computing machinery, equipment and supplies except furniture and software packages",
    ),
    ("31", "31000000-6", "Electrical machinery, apparatus, equipment and consumables; lighting"),
    ("32", "32000000-3", "Radio, television, communication, telecommunication and related equipment"),
    ("33", "33000000-0", "Medical equipments, pharmaceuticals and personal care products"),
    ("34", "34000000-7", "Transport equipment and auxiliary products to transportation"),
    ("37", "37000000-8", "Musical instruments, sport goods, games, toys, handicraft, art materials and accessories"),
    (
        "39",
        "39000000-2",
        "Furniture (incl. office furniture), furnishings, domestic appliances (excl. lighting) and cleaning products",
    ),
    (
        "44",
        "44000000-0",
        "Construction structures and materials; auxiliary products to construction (except electric apparatus)",
    ),
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
    "Marsal",
    "Ortega",
    "Ribera",
    "Costa",
    "Almena",
    "Vidal",
    "Serrano",
    "Lozano",
    "Navarro",
    "Pardo",
    "Quintana",
    "Roldán",
    "Salvat",
    "Teixidó",
    "Ubeda",
    "Valls",
    "Zamora",
    "Bernal",
    "Cervera",
    "Duarte",
    "Escudero",
    "Ferrán",
    "Galván",
    "Herrera",
    "Iranzo",
    "Jover",
    "Llorente",
    "Montalvo",
    "Nieto",
    "Olmos",
    "Peralta",
    "Rubio",
    "Soler",
    "Toribio",
    "Arenas",
    "Belmonte",
    "Casals",
    "Domenech",
    "Estrada",
    "Fuster",
    "ACM",
    "GTS",
    "IMR",
    "BLV",
    "TRC",
    "SGM",
    "Aurora",
    "Boreal",
    "Cénit",
    "Delta",
    "Faro",
    "Horizonte",
    "Levante",
    "Mistral",
    "Poniente",
    "Tramontana",
    "Atalaya",
    "Brisa",
    "Coral",
    "Marea",
)
SOCIAL_FORMS = (  # (prefix, social_economy_type)
    ("Cooperativa", "cooperative"),
    ("Fundación", "foundation"),
    ("Asociación", "association"),
    ("Inserta", "work_integration_enterprise"),
    ("Centro Especial de Empleo", "sheltered_employment_centre"),
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
    "S.L.": ("S.L.", "SL", "S.L", ", S.L."),
    "S.A.": ("S.A.", "SA", ", S.A.", "S.A"),
    "GmbH": ("GmbH", "GMBH", "Gmbh"),
    "B.V.": ("B.V.", "BV", "B.V"),
    "Lda.": ("Lda.", "Lda", "LDA"),
    "Ltd": ("Ltd", "Limited", "LTD.", "Ltd."),
    "SAS": ("SAS", "S.A.S.", "Sas"),
    "Coop.": ("Coop.", "S.Coop.", "Cooperativa"),
    "": ("",),
}

# places: postcode prefix -> place (home country); each city's own and its region's prefixes
COUNTRY_PLACES = (
    ("150", "Alderburg"),
    ("200", "Santa Brígida"),
    ("220", "Monteverde"),
    ("250", "Ribagorda"),
    ("320", "Castelmar"),
    ("350", "Pinar del Sol"),
    ("380", "Aguasclaras"),
    ("400", "Ferroval"),
    ("420", "Sierra Norte"),
    ("500", "Lagoa Nova"),
    ("520", "Campos Altos"),
    ("560", "Isla Mayor"),
    ("600", "Vilanova del Mar"),
    ("650", "Torrenueva"),
    ("700", "Barrocal"),
    ("750", "Marisma"),
    ("800", "Solanas"),
    ("850", "Altamira"),
    ("900", "Puerto Ocaso"),
    ("950", "Cabo Lejano"),
)
LOCATIONS = ("city", "region", "country", "abroad")
SIZES = ("micro", "small", "medium", "large")


def rng_for(*parts: int) -> np.random.Generator:
    """An independent, reproducible random stream for one part of the data."""
    return np.random.default_rng([SEED, *parts])
