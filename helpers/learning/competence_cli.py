"""`python -m helpers team-profile a.json b.json …` (trainers: combine exported competence profiles into a
team view) and `python -m helpers competence-profile` (a learner: print or export their own profile)."""

from __future__ import annotations

import argparse
from pathlib import Path

from helpers.core.errors import LearnerError
from helpers.core.safety import save_new_file, terminal_text
from helpers.learning.competence_profile import competence_profile, profile_table, team_view_from_files
from helpers.learning.competence_widget import export_profile, summary_text
from helpers.learning.progress import store
from helpers.ui.exports import to_csv_bytes


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `team-profile` and `competence-profile` commands."""
    team = subparsers.add_parser(
        "team-profile",
        help="combine learners' exported competence profiles into a team view (for trainers)",
        description="Read competence profiles exported from the start-here page (.json) and print, per "
        "ProcurCompEU competence, how many learners have evidence at each level and how many have none yet. "
        "A file that is not such a profile is named and left out.",
    )
    team.add_argument("files", nargs="+", metavar="PROFILE.json", help="exported profiles")
    team.add_argument("--csv", metavar="OUT.csv", help="also write the team view as CSV (never replaces a file)")
    team.set_defaults(func=run_team_profile)

    own = subparsers.add_parser(
        "competence-profile",
        help="print your competence profile from your saved work, or export it",
        description="Print your ProcurCompEU competence profile, built from your self-checks and saved work; "
        "with --export, write it as .json (for your trainer) and .csv into my_work/exports.",
    )
    own.add_argument("--export", action="store_true", help="write the .json and .csv export")
    own.add_argument("--name", default="", help="the name (or pseudonym) written in the export")
    own.set_defaults(func=run_competence_profile)


def run_team_profile(args: argparse.Namespace) -> int:
    """Print the team view; 0 when at least one profile was read, 2 when none was."""
    table, skipped = team_view_from_files(args.files)
    for note in skipped:
        print(terminal_text(note))
    learners = int(table["learners"].iloc[0]) if len(table) else 0
    if not learners:
        raise LearnerError("no file could be read as a competence profile, so there is no team view")
    print(f"Team view of {learners} learner(s): per competence, learners by the highest level evidenced.")
    print(table.to_string(index=False))
    if args.csv:
        path = save_new_file(Path(args.csv), to_csv_bytes(table))
        print(f"wrote {path}")
    return 0


def run_competence_profile(args: argparse.Namespace) -> int:
    profile = competence_profile(store().data(), learner=args.name)
    print(summary_text(profile))
    print(profile_table(profile).drop(columns=["evidence"]).to_string(index=False))
    if args.export:
        for path in export_profile(profile):
            print(f"wrote {path}")
    return 0
