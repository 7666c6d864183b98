"""The learner's side of the course: the course map, self-checks, progress, the set-up check.

The start-here notebook imports from here; `selfcheck.show(...)` renders a module's questions.
"""

from helpers.learning import selfcheck
from helpers.learning.competence_widget import competence_profile_tool
from helpers.learning.course import course_map, progress_overview, where_is_my_work, widget_demo

__all__ = ["competence_profile_tool", "course_map", "progress_overview", "selfcheck", "where_is_my_work", "widget_demo"]
