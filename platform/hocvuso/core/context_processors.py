from .display import large_text_enabled


def display_preferences(request):
    return {"large_text": large_text_enabled(request)}
