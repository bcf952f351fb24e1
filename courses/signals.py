"""Announced once, after the completion row is committed. Receivers (the
certificates app) get `completion` = the CourseCompletion/ProgrammeCompletion."""

from django.dispatch import Signal

course_completed = Signal()
programme_completed = Signal()
