"""Where each supplier is based: the geographic levels of an analysis (city, region, country…,
abroad, unknown) and the postcode lookup that places every payment at one of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.core.content import items
from helpers.core.errors import LearnerError
from helpers.spend.columns import UNKNOWN, per_unique, require_columns


@dataclass(frozen=True)
class GeographyLevels:
    """The ordered geographic levels of an analysis, nearest first.

    Preston used the city and the county; Pamplona used four levels (brief §2.4),
    e.g. `GeographyLevels(("city", "metropolitan", "regional", "national"),
    regional="regional")`. `abroad` and `unknown` are always added at the end.
    `local` names the last level that counts as "in the city" and `regional` the
    last one that counts as "in the wider region" (both cumulative).
    """

    levels: tuple[str, ...] = ("city", "region", "country")
    abroad: str = "abroad"
    unknown: str = UNKNOWN
    local: str | None = None
    regional: str | None = None

    def __post_init__(self) -> None:
        levels = tuple(self.levels)
        object.__setattr__(self, "levels", levels)
        if not levels or len(set(levels)) != len(levels):
            raise LearnerError("geography levels must be a non-empty list of distinct names")
        if self.abroad in levels or self.unknown in levels:
            raise LearnerError(
                f"'{self.abroad}' and '{self.unknown}' are added automatically",
                fix="List only the levels inside the home country",
            )
        object.__setattr__(self, "local", self.local or levels[0])
        object.__setattr__(self, "regional", self.regional or levels[min(1, len(levels) - 1)])
        for name in (self.local, self.regional):
            if name not in levels:
                raise LearnerError(f"the level '{name}' is not one of {', '.join(levels)}")

    @classmethod
    def from_table(
        cls, geography: pd.DataFrame, local: str | None = None, regional: str | None = None
    ) -> GeographyLevels:
        """The levels a learner's geography table uses, nearest first, so `place_payments` accepts it.

        Course design: the table lists its levels nearest first, so the order in which
        they first appear is the order from the city outwards ("abroad" and "unknown"
        rows are skipped: they are always added at the end). `local` defaults to the
        first level and `regional` to the second (the first if there is only one); a
        city/region/country table gives `DEFAULT_LEVELS`.
        """
        if "level" not in geography.columns:
            raise LearnerError(
                "the geography table has no column 'level'",
                fix="It needs the columns postcode_prefix, place, level (see datasets/portavera/geography.csv)",
            )
        names = geography["level"].dropna().astype("str")
        names = names[(names.str.strip() != "") & ~names.isin([cls.abroad, cls.unknown])]
        levels = tuple(dict.fromkeys(names))  # distinct, in order of first appearance
        if not levels:
            raise LearnerError(
                "the geography table names no level (its level column is empty, or only says abroad or unknown)",
                fix="Give each postcode prefix a level, nearest first, e.g. city, region, country",
            )
        return cls(levels, local=local, regional=regional)

    @property
    def ordered(self) -> tuple[str, ...]:
        """Every level in display order, abroad and unknown last."""
        return self.levels + (self.abroad, self.unknown)

    def upto(self, level: str) -> tuple[str, ...]:
        """The levels from the nearest up to and including `level` (cumulative local spend)."""
        if level not in self.levels:
            raise LearnerError(f"the level '{level}' is not one of {', '.join(self.levels)}")
        return self.levels[: self.levels.index(level) + 1]

    @property
    def city_levels(self) -> tuple[str, ...]:
        return self.upto(self.local)

    @property
    def region_levels(self) -> tuple[str, ...]:
        return self.upto(self.regional)


DEFAULT_LEVELS = GeographyLevels()


def _postcode_text(values: pd.Series) -> pd.Series:
    """Postcodes compared without spaces or case: "ex1 1ab" -> "EX11AB"."""
    return per_unique(values, _postcode_text_each)


def _postcode_text_each(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.upper().str.replace(r"\s+", "", regex=True)
    return text.where(text.notna() & (text != ""), pd.NA)


def _look_up_postcodes(
    code: pd.Series, geography: pd.DataFrame, postcode_key: Callable[[str], str] | None
) -> tuple[pd.Series, pd.Series]:
    """The level and place of each postcode (missing where no prefix matches), looked up once per postcode."""
    geo = geography.assign(prefix=_postcode_text(geography["postcode_prefix"])).dropna(subset=["prefix"])
    geo = geo.drop_duplicates("prefix", keep="last").set_index("prefix")
    codes, uniques = pd.factorize(code, use_na_sentinel=True)
    uniq = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    u_place = pd.Series(pd.NA, index=uniq.index, dtype="str")
    u_level = pd.Series(pd.NA, index=uniq.index, dtype="str")
    if postcode_key is not None:
        key = _postcode_text(uniq.map(lambda u: postcode_key(u) or None).astype("str"))
        u_place, u_level = key.map(geo["place"]).astype("str"), key.map(geo["level"]).astype("str")
    else:
        for length in sorted(geo.index.str.len().unique(), reverse=True):
            todo = u_level.isna()
            if not todo.any():
                break
            head = uniq[todo].str[:length]
            u_level.loc[todo] = head.map(geo["level"])
            u_place.loc[todo] = head.map(geo["place"])
    pick = np.where(codes >= 0, codes, len(uniq))
    level = pd.Series(np.append(u_level.to_numpy(dtype=object), None)[pick], index=code.index, dtype="str")
    place = pd.Series(np.append(u_place.to_numpy(dtype=object), None)[pick], index=code.index, dtype="str")
    return level, place


def place_payments(
    payments: pd.DataFrame,
    geography: pd.DataFrame,
    home_country: str | None = None,
    country_col: str | None = None,
    levels: GeographyLevels = DEFAULT_LEVELS,
    postcode_key: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Add `level` (city / region / … / abroad / unknown) and `place` to every payment.

    The postcode is the ledger's, or the register's (`register_postcode`) when the
    ledger has none. A supplier whose country (column `country_col`; by default
    `register_country` when present) differs from `home_country` is abroad, whatever
    its postcode. Otherwise the longest `postcode_prefix` of the geography table that
    starts the postcode gives the place and level. With `postcode_key` (e.g.
    `uk_outcode`) each postcode is first turned into a key that must equal a prefix
    exactly, so "EX10" never falls into "EX1". Nothing found: unknown.
    """
    require_columns(
        geography,
        ["postcode_prefix", "place", "level"],
        "geography table",
        "It needs the columns postcode_prefix, place, level (see datasets/<city>/geography.csv)",
    )
    bad = sorted(set(geography["level"].dropna().astype("str")) - set(levels.ordered))
    if bad:
        raise LearnerError(
            f"the geography table uses levels {', '.join(bad)} that are not in {', '.join(levels.ordered)}",
            fix="Rename them, or pass GeographyLevels with your own level names",
        )
    out = payments.copy()
    code = _postcode_text(out["postcode"]) if "postcode" in out else pd.Series(pd.NA, index=out.index, dtype="str")
    if "register_postcode" in out:
        code = code.fillna(_postcode_text(out["register_postcode"]))
    level, place = _look_up_postcodes(code, geography, postcode_key)
    if country_col is None and "register_country" in out:
        country_col = "register_country"
    if country_col is not None and home_country is not None:
        require_columns(out, [country_col], "payments table", "Pass the name of the supplier-country column")
        country = out[country_col].astype("str").str.strip().str.upper()
        abroad = country.notna() & (country != "") & (country != home_country.strip().upper())
        level = level.where(~abroad, levels.abroad)
        place = place.where(~abroad, country)
    out["level"] = level.fillna(levels.unknown).astype("str")
    out["place"] = place.astype("str")
    return out


_OUTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?:[0-9][A-Z]{2})?$")


def uk_outcode(postcode: object) -> str:
    """The outward code of a UK postcode: "ex1 1ab" -> "EX1", "EX101AB" -> "EX10"; "" if not one."""
    if postcode is None or (not isinstance(postcode, str) and pd.isna(postcode)):
        return ""
    text = str(postcode).upper().strip()
    if " " in text:
        text = text.split()[0]
    text = re.sub(r"[^0-9A-Z]", "", text)
    match = _OUTCODE.match(text)
    return match.group(1) if match else ""


def _tidy_region(name: object) -> object:
    """ "London " -> "London", "Northern ireland" -> "Northern Ireland", "#N/A" -> missing."""
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return pd.NA
    text = " ".join(str(name).split())
    if text in ("", "#N/A", "N/A", "NA"):
        return pd.NA
    small = {"and", "of", "the"}
    return " ".join(
        w.lower() if i and w.lower() in small else w[:1].upper() + w[1:].lower() for i, w in enumerate(text.split())
    )


def crown_dependencies() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The region codes and names of the Crown Dependencies (course/content/spend_uk_crown_dependencies.yaml).

    Course design: Guernsey, Jersey and the Isle of Man are outside the UK, so abroad.
    """
    places = items("spend_uk_crown_dependencies")
    return tuple(code for p in places for code in p["region_codes"]), tuple(p["name"] for p in places)


def geography_from_uk_outcodes(
    table: pd.DataFrame,
    home_region: str,
    local_area: str | Iterable[str] | None = None,
    levels: GeographyLevels = DEFAULT_LEVELS,
) -> pd.DataFrame:
    """A geography table (postcode_prefix, place, level) from a UK outcode → region table.

    `table` has the columns `postcode` (the outcode), `region_code`, `region_name`
    and optionally `city`/`county`, like ../shared/data/real/uk_postcode_outcodes_regions.csv.
    Region names are tidied (trailing spaces, capitals; "#N/A" filled from the
    region code). Outcodes in `home_region` (a name or code) get the second level,
    the rest of the UK the third; `local_area` (a town or county name, or a list
    of outcodes) gets the first. Course design: Guernsey, Jersey and the Isle of
    Man are outside the UK, so abroad. Use with `place_payments(...,
    postcode_key=uk_outcode)`.
    """
    require_columns(
        table,
        ["postcode", "region_code", "region_name"],
        "UK outcode table",
        "Use a table with postcode (outcode), region_code and region_name columns",
    )
    if len(levels.levels) < 3:
        raise LearnerError("the UK lookup needs three levels inside the country (local, region, country)")
    t = table.copy()
    t["outcode"] = t["postcode"].map(uk_outcode)
    t = t[t["outcode"] != ""]
    t["code"] = t["region_code"].astype("str").str.strip().str.upper()
    t["region"] = t["region_name"].map(_tidy_region).astype("str")
    by_code = t.dropna(subset=["region"]).groupby("code")["region"].agg(lambda s: s.mode().iloc[0])
    t["region"] = t["region"].fillna(t["code"].map(by_code))
    # a "name" that is really a region code ("IMN") takes that code's name
    upper_names = t["region"].str.upper()
    t["region"] = t["region"].where(
        ~upper_names.isin(by_code.index) | (upper_names == t["code"]), upper_names.map(by_code)
    )
    wanted = " ".join(str(home_region).split()).casefold()
    is_home = (t["region"].str.casefold() == wanted) | (t["code"].str.casefold() == wanted)
    if not is_home.any():
        known = ", ".join(sorted(t["region"].dropna().unique()))
        raise LearnerError(f"the region '{home_region}' is not in the outcode table", fix=f"Use one of: {known}")
    crown_codes, crown_names = crown_dependencies()
    crown = t["code"].isin(crown_codes) | t["region"].isin(list(crown_names))
    level = pd.Series(levels.levels[2], index=t.index, dtype="str")
    level = level.where(~is_home, levels.levels[1]).where(~crown, levels.abroad)
    place = t["region"].fillna(t["code"])
    if local_area is not None:
        if isinstance(local_area, str):
            area = " ".join(local_area.split()).casefold()
            local = pd.Series(False, index=t.index)
            for col in ("city", "county"):
                if col in t:
                    local |= t[col].astype("str").str.strip().str.casefold().eq(area).fillna(False)
        else:
            local = t["outcode"].isin({uk_outcode(x) for x in local_area})
        if not local.any():
            raise LearnerError(
                f"no outcode belongs to the local area {local_area!r}",
                fix="Give a town or county name from the table, or a list of outcodes",
            )
        level = level.where(~local, levels.levels[0])
        place = place.where(~local, str(local_area) if isinstance(local_area, str) else "local area")
    out = pd.DataFrame({"postcode_prefix": t["outcode"], "place": place, "level": level})
    return out.drop_duplicates("postcode_prefix").reset_index(drop=True)
