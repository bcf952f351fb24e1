#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The domain apps (courses, quizzes, certificates) live beside platform/;
    # make them importable without an install.
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
